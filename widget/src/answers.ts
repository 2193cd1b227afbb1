import type {
  ContactAvailability,
  ContactConfig,
  CreateChatResponse,
  CustomerMessageEvent,
  CustomerStatusEvent,
  ErrorResponse,
  RequestProblem,
  TypingEvent,
} from '../../bot/src/contracts';

// The server's answers as the widget reads them. The shapes are the shared contract's, taken as types
// only: the bundle carries no zod. Each reader checks the fields the widget uses and ignores the rest,
// so an answer that does not fit is refused here rather than half-rendered.

export type Config = Pick<ContactConfig, 'displayName' | 'privacyPolicyUrl' | 'availability'>;
export type Availability = ContactAvailability;
export type CreatedChat = Pick<CreateChatResponse, 'chatId' | 'token'>;
export type Message = Pick<CustomerMessageEvent, 'seq' | 'at' | 'from' | 'authorName' | 'text'>;
export type Status = Pick<CustomerStatusEvent, 'seq' | 'state' | 'position' | 'estimatedWaitSeconds' | 'agentName'>;
export type Typing = Pick<TypingEvent, 'typing'>;
export type ErrorDetail = ErrorResponse['error'];
export type Reader<T> = (value: unknown) => T | undefined;

type Fields = Record<string, unknown>;
const fields = (value: unknown): Fields => (typeof value === 'object' && value !== null ? (value as Fields) : {});
const isString = (value: unknown): value is string => typeof value === 'string';
const isInt = (value: unknown): value is number => Number.isInteger(value);
const orNull =
  <T>(test: (value: unknown) => value is T) =>
  (value: unknown): value is T | null =>
    value === null || test(value);
const oneOf =
  <T extends string>(...values: T[]) =>
  (value: unknown): value is T =>
    values.includes(value as T);

const readAvailability = (value: unknown): value is Availability => {
  const f = fields(value);
  return f.state === 'closed' ? orNull(isInt)(f.nextOpeningAt) : oneOf('open', 'no-agents')(f.state);
};

export const readConfig: Reader<Config> = (value) => {
  const f = fields(value);
  const ok = isString(f.displayName) && orNull(isString)(f.privacyPolicyUrl) && readAvailability(f.availability);
  return ok ? (f as Config) : undefined;
};

export const readCreatedChat: Reader<CreatedChat> = (value) => {
  const f = fields(value);
  return isString(f.chatId) && isString(f.token) ? (f as CreatedChat) : undefined;
};

export const readMessage: Reader<Message> = (value) => {
  const f = fields(value);
  const ok =
    isInt(f.seq) &&
    isInt(f.at) &&
    oneOf('customer', 'agent', 'system')(f.from) &&
    isString(f.authorName) &&
    isString(f.text);
  return ok ? (f as Message) : undefined;
};

export const readStatus: Reader<Status> = (value) => {
  const f = fields(value);
  const ok =
    isInt(f.seq) &&
    oneOf('waiting', 'connected', 'ended')(f.state) &&
    orNull(isInt)(f.position) &&
    orNull(isInt)(f.estimatedWaitSeconds) &&
    orNull(isString)(f.agentName);
  return ok ? (f as Status) : undefined;
};

export const readTyping: Reader<Typing> = (value) => {
  const f = fields(value);
  return typeof f.typing === 'boolean' ? (f as Typing) : undefined;
};

/** The error of a refusal (`{ error: { code, message, details? } }`). */
export const readError: Reader<ErrorDetail> = (value) => {
  const f = fields(fields(value).error);
  return isString(f.code) && isString(f.message) ? (f as ErrorDetail) : undefined;
};

/** The fields a refused request got wrong, when its details name them. */
export const requestProblems = (details: unknown): RequestProblem[] =>
  Array.isArray(details)
    ? details.filter((p): p is RequestProblem => isString(fields(p).path) && isString(fields(p).message))
    : [];
