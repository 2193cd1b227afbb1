/** Typed store outcomes. Callers map them to HTTP or to user text in one place (http/errors.ts). */
export class StoreError extends Error {
  constructor(
    message: string,
    readonly code: 'not-found' | 'already-exists' | 'concurrency' | 'invalid-document',
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends StoreError {
  constructor(
    readonly docType: string,
    readonly id: string,
  ) {
    super(`${docType} ${id} was not found`, 'not-found');
  }
}

export class AlreadyExistsError extends StoreError {
  constructor(
    readonly docType: string,
    readonly id: string,
  ) {
    super(`${docType} ${id} already exists`, 'already-exists');
  }
}

/** A conditional write kept losing to concurrent writers; the caller may retry the whole operation later. */
export class ConcurrencyError extends StoreError {
  constructor(
    readonly docType: string,
    readonly id: string,
    readonly attempts: number,
  ) {
    super(`${docType} ${id} changed concurrently ${attempts} times in a row`, 'concurrency');
  }
}

/** The stored document does not match its schema (written by another version, or edited by hand). */
export class InvalidDocumentError extends StoreError {
  constructor(
    readonly docType: string,
    readonly id: string,
    readonly issues: string[],
  ) {
    super(`${docType} ${id} does not match its schema: ${issues.join('; ')}`, 'invalid-document');
  }
}

/** Status code of an @azure/cosmos ErrorResponse, if it is one. */
export function cosmosStatus(err: unknown): number | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    if (typeof code === 'number') return code;
  }
  return undefined;
}
