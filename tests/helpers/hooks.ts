type Closable = { close(): Promise<unknown> };

/**
 * What the tests of a file (or of the enclosing `describe`) share: `open` runs before them and assigns
 * the file's variables, and what it returns is closed after them, the last opened first:
 * `openForAll(async () => (app = await startTestApp()))`.
 */
export function openForAll(open: () => Promise<Closable | readonly Closable[]>): void {
  let opened: readonly Closable[] = [];
  beforeAll(async () => {
    const result = await open();
    opened = Array.isArray(result) ? result : [result as Closable];
  });
  afterAll(async () => {
    for (const it of [...opened].reverse()) await it.close();
  });
}
