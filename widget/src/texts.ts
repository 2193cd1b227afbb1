export type Texts = {
  open: string;
  minimize: string;
  title: string;
  loading: string;
  unavailable: string;
  intro: string;
  name: string;
  email: string;
  firstMessage: string;
  consentBefore: string;
  privacyPolicy: string;
  nameRequired: string;
  emailInvalid: string;
  consentRequired: string;
  start: string;
  starting: string;
  waiting: string;
  position: (n: number, waitSeconds: number | null) => string;
  connected: (agent: string) => string;
  ended: string;
  newChat: string;
  conversation: string;
  yourMessage: string;
  send: string;
  end: string;
  you: string;
  agentTyping: string;
  connectionLost: string;
  closedNow: string;
  opensAgain: (when: string) => string;
  noAgents: string;
  unread: (n: number) => string;
};

const minutes = (s: number) => Math.max(1, Math.round(s / 60));

const en: Texts = {
  open: 'Open chat',
  minimize: 'Minimize chat',
  title: 'Chat',
  loading: 'Loading…',
  unavailable: 'Chat is not available right now. Please try again later.',
  intro: 'Tell us who you are and we will connect you.',
  name: 'Your name',
  email: 'Email',
  firstMessage: 'How can we help? (optional)',
  consentBefore: 'I accept the',
  privacyPolicy: 'privacy policy',
  nameRequired: 'Please enter your name.',
  emailInvalid: 'Please enter a valid email address.',
  consentRequired: 'Please accept the privacy policy.',
  start: 'Start chat',
  starting: 'Starting…',
  waiting: 'Waiting for an agent…',
  position: (n, wait) => `Waiting — you are number ${n} in line${wait ? `, about ${minutes(wait)} min` : ''}.`,
  connected: (agent) => `Connected with ${agent}.`,
  ended: 'The chat has ended.',
  newChat: 'Start a new chat',
  conversation: 'Conversation',
  yourMessage: 'Your message',
  send: 'Send',
  end: 'End chat',
  you: 'You',
  agentTyping: 'The agent is typing…',
  connectionLost: 'Connection lost. Reconnecting…',
  closedNow: 'We are closed right now.',
  opensAgain: (when) => `We open again ${when}.`,
  noAgents: 'Nobody can answer chats here at the moment. Please contact us another way.',
  unread: (n) => (n === 1 ? '1 new message' : `${n} new messages`),
};

const de: Texts = {
  ...en,
  open: 'Chat öffnen',
  minimize: 'Chat minimieren',
  loading: 'Wird geladen…',
  unavailable: 'Der Chat ist gerade nicht verfügbar. Bitte versuchen Sie es später erneut.',
  intro: 'Sagen Sie uns, wer Sie sind, und wir verbinden Sie.',
  name: 'Ihr Name',
  email: 'E-Mail',
  firstMessage: 'Wie können wir helfen? (optional)',
  consentBefore: 'Ich akzeptiere die',
  privacyPolicy: 'Datenschutzerklärung',
  nameRequired: 'Bitte geben Sie Ihren Namen ein.',
  emailInvalid: 'Bitte geben Sie eine gültige E-Mail-Adresse ein.',
  consentRequired: 'Bitte akzeptieren Sie die Datenschutzerklärung.',
  start: 'Chat starten',
  starting: 'Wird gestartet…',
  waiting: 'Warten auf eine Fachperson…',
  position: (n, wait) => `Sie sind Nummer ${n} in der Warteschlange${wait ? `, etwa ${minutes(wait)} Min.` : ''}.`,
  connected: (agent) => `Verbunden mit ${agent}.`,
  ended: 'Der Chat ist beendet.',
  newChat: 'Neuen Chat starten',
  conversation: 'Unterhaltung',
  yourMessage: 'Ihre Nachricht',
  send: 'Senden',
  end: 'Chat beenden',
  you: 'Sie',
  agentTyping: 'Die Fachperson schreibt…',
  connectionLost: 'Verbindung unterbrochen. Neuer Versuch…',
  closedNow: 'Wir sind gerade geschlossen.',
  opensAgain: (when) => `Wir sind wieder da: ${when}.`,
  noAgents: 'Im Moment kann hier niemand Chats beantworten. Bitte kontaktieren Sie uns auf anderem Weg.',
  unread: (n) => (n === 1 ? '1 neue Nachricht' : `${n} neue Nachrichten`),
};

export function textsFor(language: string): Texts {
  return language.toLowerCase().startsWith('de') ? de : en;
}
