/**
 * The Interact chat widget. Loaded by the snippet:
 *   <script src="https://HOST/interact/v1/widget.js" data-contact-id="…" data-widget-key="…" async></script>
 * Optional: data-position="left|right", data-color="#0f6cbd", data-language="en|de".
 * Everything the customer or an agent writes is inserted with textContent, never as HTML.
 */
import type { CreateChatBody, LeaveBeaconBody, PostMessageBody, TypingBody } from '../../bot/src/contracts';
import {
  type Availability,
  type Config,
  type ErrorDetail,
  type Message,
  type Reader,
  type Status,
  readConfig,
  readCreatedChat,
  readError,
  readMessage,
  readStatus,
  readTyping,
  requestProblems,
} from './answers';
import { styles } from './styles';
import { type Texts, textsFor } from './texts';

/** `ended`: kept after the end, so a reload shows the transcript until "Start a new chat". */
type Session = { chatId: string; token: string; lastEventId: number; ended?: boolean };
type ApiError = { status: number } & ErrorDetail;

/** How many rendered events the widget remembers for comparing a resent one; only the latest ever comes back. */
const REMEMBERED_EVENTS = 500;
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 15_000;

const script = document.currentScript as HTMLScriptElement | null;

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The data of a stream event, through its reader: undefined when it is not JSON or does not fit. */
function parse<T>(raw: string, read: Reader<T>): T | undefined {
  try {
    return read(JSON.parse(raw));
  } catch {
    return undefined;
  }
}

/** A speech-bubble icon drawn inline: no icon font or emoji font is needed on the customer's machine. */
function chatIcon(): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '26');
  svg.setAttribute('height', '26');
  svg.setAttribute('aria-hidden', 'true');
  const bubble = document.createElementNS(ns, 'path');
  bubble.setAttribute('d', 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z');
  bubble.setAttribute('fill', 'currentColor');
  svg.appendChild(bubble);
  return svg;
}

class InteractWidget {
  private readonly base: string;
  private readonly storageKey: string;
  private readonly t: Texts;
  private readonly root: ShadowRoot;
  private readonly launcher: HTMLButtonElement;
  private readonly panel: HTMLDivElement;
  private readonly body: HTMLDivElement;
  private readonly title: HTMLHeadingElement;
  private readonly badge: HTMLSpanElement;
  private readonly language: string;
  private config: Config | undefined;
  private loading: Promise<void> | undefined;
  /** Why no chat can start here now (closed, refused), as the launcher and the panel say it. */
  private reason: string | undefined;
  /** Messages from the service that arrived while the panel was closed. */
  private unread = 0;
  private composer: HTMLElement[] = [];
  private session: Session | undefined;
  private events: EventSource | undefined;
  private log: HTMLOListElement | undefined;
  private status: HTMLParagraphElement | undefined;
  /** "Reconnecting…", shown while the event stream is down. */
  private connection: HTMLParagraphElement | undefined;
  private typingLine: HTMLParagraphElement | undefined;
  private input: HTMLTextAreaElement | undefined;
  private typingSentAt = 0;
  private typingTimer: number | undefined;
  private ended = false;
  /** The data of each event this page rendered, by sequence number: a resent event is compared with it. */
  private readonly rendered = new Map<number, string>();
  /** Where the open EventSource resumes after when it reconnects by itself (its own last event id). */
  private resumesAfter = 0;
  private retryTimer: number | undefined;
  private retryDelay = RETRY_FIRST_MS;

  constructor(
    private readonly contactId: string,
    private readonly widgetKey: string,
    options: { base: string; position: string; color: string; language: string },
  ) {
    this.base = options.base;
    this.t = textsFor(options.language);
    this.language = options.language;
    this.storageKey = `interact:${contactId}`;
    const host = el('div', { 'data-interact-widget': contactId });
    document.body.appendChild(host);
    this.root = host.attachShadow({ mode: 'open' });
    const style = el('style', {}, styles(options.color, options.position === 'left' ? 'left' : 'right'));
    this.launcher = el('button', {
      class: 'launcher',
      type: 'button',
      'aria-expanded': 'false',
      'aria-controls': 'interact-panel',
      'aria-label': this.t.open,
    });
    this.badge = el('span', { class: 'badge', 'aria-hidden': 'true', hidden: '' });
    this.launcher.append(chatIcon(), this.badge);
    this.panel = el('div', { class: 'panel', id: 'interact-panel', role: 'dialog', 'aria-modal': 'false', hidden: '' });
    const header = el('div', { class: 'header' });
    this.title = el('h2', { id: 'interact-title' }, this.t.title);
    this.panel.setAttribute('aria-labelledby', 'interact-title');
    const close = el('button', { class: 'close', type: 'button', 'aria-label': this.t.minimize }, '×');
    header.append(this.title, close);
    this.body = el('div', { class: 'body' });
    this.panel.append(header, this.body);
    this.root.append(style, this.launcher, this.panel);

    this.launcher.addEventListener('click', () => this.toggle(true));
    close.addEventListener('click', () => this.toggle(false));
    this.panel.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.toggle(false);
    });
    // Closing the page and reloading it look the same here: the server waits briefly for a new stream.
    window.addEventListener('pagehide', () => this.leaving());
    const saved = sessionStorage.getItem(this.storageKey);
    if (saved) {
      try {
        this.session = JSON.parse(saved) as Session;
      } catch {
        sessionStorage.removeItem(this.storageKey);
      }
    }
    // Read before anyone opens the panel: the launcher says so when no chat can start here now.
    void this.load();
    if (this.session) this.toggle(true);
  }

  private toggle(open: boolean): void {
    this.panel.hidden = !open;
    this.launcher.setAttribute('aria-expanded', String(open));
    if (open) {
      this.unread = 0;
      this.labelLauncher();
      if (!this.config) void this.load();
      (this.panel.querySelector('input, textarea, button:not(.close)') as HTMLElement | null)?.focus();
    } else this.launcher.focus();
  }

  private url(path: string): string {
    return `${this.base}/interact/v1/contacts/${encodeURIComponent(this.contactId)}${path}`;
  }

  /** Calls the API; an answer the widget reads goes through its reader, and one that does not fit is an error. */
  private async call<T = unknown>(method: string, path: string, body?: unknown, read?: Reader<T>): Promise<T> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.session) headers.authorization = `Bearer ${this.session.token}`;
    const res = await fetch(this.url(path), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status === 204) return undefined as T;
    const data: unknown = await res.json().catch(() => ({}));
    if (!res.ok) {
      const error = readError(data);
      throw {
        status: res.status,
        code: error?.code ?? 'error',
        message: error?.message ?? this.t.unavailable,
        details: error?.details,
      } satisfies ApiError;
    }
    if (!read) return data as T;
    const answer = read(data);
    if (answer === undefined)
      throw { status: res.status, code: 'unexpected-answer', message: this.t.unavailable } satisfies ApiError;
    return answer;
  }

  private load(): Promise<void> {
    this.loading ??= this.readConfig().finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async readConfig(): Promise<void> {
    this.showNotice(this.t.loading, 'busy');
    try {
      this.config = await this.call('GET', `?key=${encodeURIComponent(this.widgetKey)}`, undefined, readConfig);
      this.title.textContent = this.config.displayName;
      this.reason = this.closedReason(this.config.availability);
      this.labelLauncher();
      this.showStart();
    } catch (err) {
      // A refusal of this contact (origin, inactive, key, rate) says why; a network or server failure cannot.
      const status = (err as Partial<ApiError>).status;
      this.reason = status === 403 || status === 404 || status === 429 ? (err as ApiError).message : this.t.unavailable;
      this.labelLauncher();
      this.showNotice(this.reason, 'error');
    }
  }

  private closedReason(availability: Availability): string | undefined {
    if (availability.state === 'closed') return this.t.closedNow;
    if (availability.state === 'no-agents') return this.t.noAgents;
    return undefined;
  }

  /** The launcher's name says why no chat can start now, and how many messages are unread. */
  private labelLauncher(): void {
    const parts = [this.t.open, this.reason, this.unread > 0 ? this.t.unread(this.unread) : undefined];
    this.launcher.setAttribute('aria-label', parts.filter(Boolean).join('. '));
    if (this.reason) {
      this.launcher.dataset.state = 'unavailable';
      this.launcher.title = this.reason;
    } else {
      delete this.launcher.dataset.state;
      this.launcher.removeAttribute('title');
    }
    this.badge.hidden = this.unread === 0;
    this.badge.textContent = this.unread > 9 ? '9+' : String(this.unread);
  }

  /** The chat of this page, else the form, else why no chat can start now (with the next opening). */
  private showStart(): void {
    if (this.session) return this.showChat();
    const availability = this.config?.availability;
    if (!availability || !this.reason) return this.showForm();
    const notice = el('div', { class: 'notice closed', role: 'status' });
    notice.append(el('p', {}, this.reason));
    if (availability.state === 'closed' && availability.nextOpeningAt !== null) {
      const at = new Date(availability.nextOpeningAt);
      const marker = '\u0000';
      const [before = '', after = ''] = this.t.opensAgain(marker).split(marker);
      const when = at.toLocaleString(this.language, {
        weekday: 'long',
        day: 'numeric',
        month: 'long',
        hour: '2-digit',
        minute: '2-digit',
      });
      const line = el('p', { class: 'next-opening' }, before);
      line.append(el('time', { datetime: at.toISOString() }, when), document.createTextNode(after));
      notice.append(line);
    }
    this.body.replaceChildren(notice);
  }

  private showNotice(text: string, kind: 'busy' | 'error'): void {
    this.body.replaceChildren(el('p', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text));
  }

  /** The page goes away (closed or reloaded): the server ends the chat unless this chat's stream opens again soon. */
  private leaving(): void {
    const session = this.session;
    if (!session || session.ended || this.ended) return;
    const body: LeaveBeaconBody = { token: session.token };
    navigator.sendBeacon(
      `${this.base}/interact/v1/beacons/contacts/${encodeURIComponent(this.contactId)}/chats/${encodeURIComponent(session.chatId)}/leave`,
      new URLSearchParams(body),
    );
  }

  private showForm(): void {
    const form = el('form', { class: 'form', novalidate: '' });
    const field = (id: string, label: string, input: HTMLInputElement | HTMLTextAreaElement) => {
      const wrap = el('div', { class: 'field' });
      input.id = id;
      const error = el('p', { class: 'field-error', id: `${id}-error`, 'aria-live': 'polite' });
      input.setAttribute('aria-describedby', error.id);
      wrap.append(el('label', { for: id }, label), input, error);
      return wrap;
    };
    const name = el('input', { name: 'displayName', autocomplete: 'name', maxlength: '100', required: '' });
    const email = el('input', { name: 'email', type: 'email', autocomplete: 'email', maxlength: '254', required: '' });
    const message = el('textarea', { name: 'message', rows: '3', maxlength: '4000' });
    const consent = el('input', { name: 'consent', type: 'checkbox', required: '', id: 'interact-consent' });
    const consentLabel = el('label', { for: 'interact-consent', class: 'consent' });
    consentLabel.append(consent, document.createTextNode(` ${this.t.consentBefore} `));
    if (this.config?.privacyPolicyUrl)
      consentLabel.append(
        el(
          'a',
          { href: this.config.privacyPolicyUrl, target: '_blank', rel: 'noopener noreferrer' },
          this.t.privacyPolicy,
        ),
      );
    else consentLabel.append(document.createTextNode(this.t.privacyPolicy));
    const consentError = el('p', { class: 'field-error', id: 'interact-consent-error', 'aria-live': 'polite' });
    consent.setAttribute('aria-describedby', consentError.id);
    const formError = el('p', { class: 'form-error', role: 'alert' });
    const submit = el('button', { type: 'submit', class: 'primary' }, this.t.start);
    form.append(
      el('p', { class: 'intro' }, this.t.intro),
      field('interact-name', this.t.name, name),
      field('interact-email', this.t.email, email),
      field('interact-message', this.t.firstMessage, message),
      consentLabel,
      consentError,
      formError,
      submit,
    );
    const errorOf = (id: string) => this.root.getElementById(`${id}-error`);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      for (const node of form.querySelectorAll('.field-error')) node.textContent = '';
      formError.textContent = '';
      const problems: [string, string][] = [];
      if (!name.value.trim()) problems.push(['interact-name', this.t.nameRequired]);
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.value.trim()))
        problems.push(['interact-email', this.t.emailInvalid]);
      if (!consent.checked) problems.push(['interact-consent', this.t.consentRequired]);
      for (const [id, text] of problems) {
        const node = errorOf(id);
        if (node) node.textContent = text;
      }
      if (problems.length > 0) {
        (this.root.getElementById(problems[0]![0]) as HTMLElement | null)?.focus();
        return;
      }
      submit.disabled = true;
      submit.textContent = this.t.starting;
      const request: CreateChatBody = {
        key: this.widgetKey,
        displayName: name.value.trim(),
        email: email.value.trim(),
        consent: true,
        message: message.value.trim() || undefined,
      };
      this.call('POST', '/chats', request, readCreatedChat)
        .then((created) => {
          this.session = { chatId: created.chatId, token: created.token, lastEventId: 0 };
          this.save();
          this.showChat();
        })
        .catch((err: ApiError) => {
          submit.disabled = false;
          submit.textContent = this.t.start;
          const details = requestProblems(err.details);
          const fieldIds: Record<string, string> = {
            displayName: 'interact-name',
            email: 'interact-email',
            message: 'interact-message',
            consent: 'interact-consent',
          };
          for (const d of details) {
            const node = errorOf(fieldIds[d.path] ?? '');
            if (node) node.textContent = d.message;
          }
          if (details.length === 0)
            formError.textContent = err.status === 403 || err.status === 404 ? this.t.unavailable : err.message;
        });
    });
    this.body.replaceChildren(form);
    name.focus();
  }

  private save(): void {
    if (this.session) sessionStorage.setItem(this.storageKey, JSON.stringify(this.session));
  }

  private showChat(): void {
    const session = this.session;
    if (!session) return;
    this.status = el('p', { class: 'status', role: 'status' }, this.t.waiting);
    this.connection = el('p', { class: 'connection', role: 'status', hidden: '' }, this.t.connectionLost);
    this.log = el('ol', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-label': this.t.conversation });
    this.typingLine = el('p', { class: 'typing', 'aria-live': 'polite' });
    const composer = el('form', { class: 'composer' });
    this.input = el('textarea', {
      rows: '2',
      maxlength: '4000',
      'aria-label': this.t.yourMessage,
      placeholder: this.t.yourMessage,
    });
    const send = el('button', { type: 'submit', class: 'primary' }, this.t.send);
    const end = el('button', { type: 'button', class: 'secondary end' }, this.t.end);
    composer.append(this.input, send);
    this.composer = [composer, end];
    this.body.replaceChildren(this.status, this.connection, this.log, this.typingLine, composer, end);
    this.input.focus();

    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey) {
        e.preventDefault();
        composer.requestSubmit();
      }
    });
    this.input.addEventListener('input', () => this.typing(true));
    composer.addEventListener('submit', (e) => {
      e.preventDefault();
      const text = this.input?.value.trim();
      if (!text || this.ended) return;
      send.disabled = true;
      this.call('POST', `/chats/${session.chatId}/messages`, { text } satisfies PostMessageBody)
        .then(() => {
          if (this.input) this.input.value = '';
          this.typing(false);
        })
        .catch((err: ApiError) => this.systemLine(err.message))
        .finally(() => {
          send.disabled = false;
          this.input?.focus();
        });
    });
    end.addEventListener('click', () => {
      end.disabled = true;
      this.call('POST', `/chats/${session.chatId}/end`).catch(() => undefined);
    });
    // A new page shows nothing yet, so it reads the whole log (a resumed stream would start at the checkpoint).
    session.lastEventId = 0;
    this.rendered.clear();
    this.connect();
  }

  private typing(active: boolean): void {
    const session = this.session;
    if (!session || this.ended) return;
    window.clearTimeout(this.typingTimer);
    if (active) {
      this.typingTimer = window.setTimeout(() => this.typing(false), 5000);
      if (Date.now() - this.typingSentAt < 3000) return;
      this.typingSentAt = Date.now();
    } else this.typingSentAt = 0;
    this.call('POST', `/chats/${session.chatId}/typing`, { typing: active } satisfies TypingBody).catch(
      () => undefined,
    );
  }

  /** Opens the chat's event stream after the last event shown (0: the whole log). */
  private connect(): void {
    const session = this.session;
    window.clearTimeout(this.retryTimer);
    this.events?.close();
    this.events = undefined;
    if (!session || this.ended) return;
    // EventSource reconnects by itself and sends Last-Event-ID; the first connection states it in the URL.
    const url = this.url(
      `/chats/${session.chatId}/events?token=${encodeURIComponent(session.token)}&lastEventId=${session.lastEventId}`,
    );
    const events = new EventSource(url);
    this.events = events;
    this.resumesAfter = session.lastEventId;
    // Only the current stream counts: a replaced one may still deliver what it had buffered.
    const on = (type: string, handle: (e: MessageEvent<string>) => void) =>
      events.addEventListener(type, (e) => {
        if (this.events !== events) return;
        const id = (e as MessageEvent<string>).lastEventId;
        if (id) this.resumesAfter = Number(id);
        handle(e as MessageEvent<string>);
      });
    on('open', () => {
      this.retryDelay = RETRY_FIRST_MS;
      this.connected(true);
    });
    on('message', (e) => this.onEvent(e.data, readMessage, (data) => this.onMessage(data)));
    on('status', (e) => this.onEvent(e.data, readStatus, (data) => this.onStatus(data)));
    // The log is shorter than what this page shows: start over; the whole log follows on this stream.
    on('reset', () => this.clearTranscript());
    on('typing', (e) => {
      const data = parse(e.data, readTyping);
      if (data && this.typingLine) this.typingLine.textContent = data.typing ? this.t.agentTyping : '';
    });
    on('error', () => {
      if (this.ended) return;
      this.connected(false);
      // CONNECTING: the browser retries by itself, unless it would resume elsewhere than this page is
      // (after a reset, until the first event of the new log). CLOSED: it gave up; we retry with backoff.
      if (events.readyState === EventSource.CLOSED || this.resumesAfter !== session.lastEventId) {
        events.close();
        const delay = this.retryDelay;
        this.retryDelay = Math.min(this.retryDelay * 2, RETRY_MAX_MS);
        this.retryTimer = window.setTimeout(() => this.connect(), delay / 2 + Math.random() * (delay / 2));
      }
    });
  }

  private connected(up: boolean): void {
    if (this.connection) this.connection.hidden = up;
  }

  /**
   * An event of the log. One this page is past was sent again: the checkpoint of a resumed stream, or
   * a log that changed under the page. Identical to what was rendered: skipped. Different, or never
   * rendered: the transcript is wrong, so it is cleared and the whole log read again.
   */
  private onEvent<T extends Message | Status>(raw: string, read: Reader<T>, render: (data: T) => void): void {
    const session = this.session;
    const data = parse(raw, read);
    if (!session || !data) return;
    const seq = data.seq;
    if (seq <= session.lastEventId) {
      if (this.rendered.get(seq) === raw) return;
      this.clearTranscript();
      this.connect();
      return;
    }
    session.lastEventId = seq;
    this.save();
    this.rendered.set(seq, raw);
    if (this.rendered.size > REMEMBERED_EVENTS) this.rendered.delete(this.rendered.keys().next().value as number);
    render(data);
  }

  /** Forgets everything shown of the log: what follows is the log from its first event. */
  private clearTranscript(): void {
    if (this.session) {
      this.session.lastEventId = 0;
      this.save();
    }
    this.rendered.clear();
    this.log?.replaceChildren();
    if (this.status) this.status.textContent = this.t.waiting;
    if (this.typingLine) this.typingLine.textContent = '';
  }

  private onMessage(data: Message): void {
    if (!this.log) return;
    const item = el('li', { class: `message ${data.from}` });
    // A system message is the service speaking (welcome, queue position): no author line, its own look.
    if (data.from !== 'system')
      item.append(el('span', { class: 'author' }, data.from === 'customer' ? this.t.you : data.authorName));
    const at = new Date(data.at);
    item.append(
      el('span', { class: 'text' }, data.text),
      el(
        'time',
        { class: 'time', datetime: at.toISOString() },
        at.toLocaleTimeString(this.language, { hour: '2-digit', minute: '2-digit' }),
      ),
    );
    this.log.append(item);
    this.scrollToEnd();
    if (data.from === 'agent' && this.typingLine) this.typingLine.textContent = '';
    if (data.from !== 'customer' && this.panel.hidden) {
      this.unread++;
      this.labelLauncher();
    }
  }

  /** The newest line in view; the log scrolls by itself, so the host page never does. */
  private scrollToEnd(): void {
    if (this.log) this.log.scrollTop = this.log.scrollHeight;
  }

  private onStatus(data: Status): void {
    if (!this.status) return;
    if (data.state === 'waiting')
      this.status.textContent = data.position
        ? this.t.position(data.position, data.estimatedWaitSeconds)
        : this.t.waiting;
    if (data.state === 'connected') this.status.textContent = this.t.connected(data.agentName ?? '');
    if (data.state === 'ended') {
      this.ended = true;
      this.events?.close();
      this.events = undefined;
      this.connected(true);
      this.status.textContent = this.t.ended;
      if (this.session) {
        this.session.ended = true;
        this.save();
      }
      if (this.typingLine) this.typingLine.textContent = '';
      for (const node of this.composer) node.remove();
      this.composer = [];
      this.input = undefined;
      const again = el('button', { type: 'button', class: 'primary again' }, this.t.newChat);
      again.addEventListener('click', () => {
        sessionStorage.removeItem(this.storageKey);
        this.session = undefined;
        this.ended = false;
        this.rendered.clear();
        this.showStart();
      });
      this.body.append(again);
      this.scrollToEnd();
      again.focus();
    }
  }

  private systemLine(text: string): void {
    this.log?.append(el('li', { class: 'message notice-line', role: 'status' }, text));
  }
}

if (script) {
  const contactId = script.dataset.contactId;
  const widgetKey = script.dataset.widgetKey;
  const start = () => {
    if (!contactId || !widgetKey) {
      console.error('Interact widget: the snippet needs data-contact-id and data-widget-key.');
      return;
    }
    const instance = new InteractWidget(contactId, widgetKey, {
      base: new URL(script.src).origin,
      position: script.dataset.position ?? 'right',
      color: /^#[0-9a-fA-F]{3,8}$/.test(script.dataset.color ?? '') ? script.dataset.color! : '#0f6cbd',
      language: script.dataset.language ?? document.documentElement.lang ?? 'en',
    });
    (window as unknown as { InteractWidget?: unknown }).InteractWidget = instance;
  };
  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start);
}
