// @ts-check
// Errors as data across the worker boundary. The core throws a JS Error named "LabError" with
// `kind` (a stable name of the refusal, e.g. "empty_image", "invalid_learning_rate", "import"),
// `field` (the hyperparameter it is about, or null) and `reason` (the message without its
// preamble); the worker posts those fields, and the page rebuilds an Error that carries them,
// so nothing on either side matches message text.

/**
 * @typedef {object} ErrorData
 * @property {string} message what the user is told
 * @property {string} kind the core's kind, or "worker" for an error of the worker's own code
 * @property {string|null} field the hyperparameter the error is about
 * @property {string} reason the message without its preamble (for an import: why the file was refused)
 */

/**
 * The fields of anything thrown: a core LabError keeps its kind and field.
 * @param {unknown} e
 * @returns {ErrorData}
 */
export function errorData(e) {
  const message = e instanceof Error ? e.message : String(e);
  const x = /** @type {{kind?: unknown, field?: unknown, reason?: unknown}} */ (e ?? {});
  return {
    message,
    kind: typeof x.kind === 'string' ? x.kind : 'worker',
    field: typeof x.field === 'string' ? x.field : null,
    reason: typeof x.reason === 'string' ? x.reason : message,
  };
}

/** An Error that carries the fields of ErrorData. */
export class LabError extends Error {
  /** @param {ErrorData} data */
  constructor(data) {
    super(data.message);
    this.name = 'LabError';
    this.kind = data.kind;
    this.field = data.field;
    this.reason = data.reason;
  }
}

