/** Styles live in the widget's shadow root, so the host page and the widget never restyle each other. */
export function styles(color: string, side: 'left' | 'right'): string {
  return `
:host { all: initial; }
* { box-sizing: border-box; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.launcher { position: fixed; ${side}: 20px; bottom: 20px; width: 56px; height: 56px; border-radius: 50%; border: none;
  background: ${color}; color: #fff; display: grid; place-items: center; cursor: pointer; box-shadow: 0 4px 12px rgba(0,0,0,.25); z-index: 2147483000; }
.launcher[data-state=unavailable] { background: #616161; }
.badge { position: absolute; top: -4px; ${side === 'left' ? 'left' : 'right'}: -4px; min-width: 22px; height: 22px; padding: 0 6px; border-radius: 11px;
  background: #c50f1f; color: #fff; font-size: 12px; font-weight: 700; line-height: 22px; text-align: center; }
.badge[hidden] { display: none; }
.launcher:focus-visible, button:focus-visible, input:focus-visible, textarea:focus-visible, a:focus-visible { outline: 3px solid #000; outline-offset: 2px; }
.panel { position: fixed; ${side}: 20px; bottom: 88px; width: min(380px, calc(100vw - 16px)); height: min(600px, calc(100vh - 104px));
  display: flex; flex-direction: column; background: #fff; color: #242424; border-radius: 12px; box-shadow: 0 8px 32px rgba(0,0,0,.3);
  overflow: hidden; z-index: 2147483001; font-size: 14px; }
.panel[hidden] { display: none; }
.header { display: flex; align-items: center; justify-content: space-between; background: ${color}; color: #fff; padding: 12px 16px; }
.header h2 { margin: 0; font-size: 16px; font-weight: 600; }
.close { background: transparent; border: none; color: #fff; font-size: 24px; line-height: 1; cursor: pointer; padding: 4px 8px; }
.body { flex: 1; display: flex; flex-direction: column; overflow: auto; padding: 12px 16px; gap: 8px; }
.form { display: flex; flex-direction: column; gap: 10px; }
.field { display: flex; flex-direction: column; gap: 4px; }
label { font-weight: 600; }
.consent { font-weight: 400; }
input, textarea { font: inherit; padding: 8px; border: 1px solid #8a8a8a; border-radius: 6px; width: 100%; }
input[type=checkbox] { width: auto; }
textarea { resize: vertical; }
.field-error, .form-error { color: #b10e1c; margin: 0; min-height: 0; font-size: 13px; }
.primary { background: ${color}; color: #fff; border: none; border-radius: 6px; padding: 10px 14px; font: inherit; font-weight: 600; cursor: pointer; }
.secondary { background: #fff; color: #242424; border: 1px solid #8a8a8a; border-radius: 6px; padding: 8px 12px; font: inherit; cursor: pointer; }
button:disabled { opacity: .6; cursor: default; }
.notice { margin: auto; text-align: center; }
.notice.error { color: #b10e1c; }
.notice.closed p { margin: 0 0 6px; }
.status { margin: 0; padding: 8px; background: #f0f4fa; border-radius: 6px; }
.connection { margin: 0; padding: 6px 8px; background: #fff4ce; color: #5c4400; border-radius: 6px; font-size: 13px; }
.connection[hidden] { display: none; }
.log { list-style: none; margin: 0; padding: 0; flex: 1; overflow-y: auto; display: flex; flex-direction: column; gap: 8px; min-height: 120px; }
.message { max-width: 85%; padding: 8px 10px; border-radius: 10px; white-space: pre-wrap; overflow-wrap: anywhere; }
.message .author { display: block; font-size: 12px; font-weight: 600; margin-bottom: 2px; }
.message .time { display: block; font-size: 11px; opacity: .75; margin-top: 2px; text-align: right; }
.message.customer { align-self: flex-end; background: ${color}; color: #fff; }
.message.agent { align-self: flex-start; background: #f0f0f0; }
.message.system, .notice-line { align-self: center; max-width: 100%; background: transparent; color: #616161; font-size: 13px;
  font-style: italic; text-align: center; border: 1px dashed #c8c8c8; }
.typing { margin: 0; min-height: 18px; font-size: 12px; color: #616161; }
.composer { display: flex; gap: 8px; align-items: flex-end; }
.end { align-self: flex-start; }
.again { align-self: center; }
@media (max-width: 480px) {
  .panel { ${side}: 0; bottom: 0; width: 100vw; height: 100vh; border-radius: 0; }
}
`;
}
