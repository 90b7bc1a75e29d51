/**
 * The sign-in page: an admin key (the operator's or a company's) opens a session.
 *
 * @module
 */
import { html, type SafeHtml } from "../html.ts";
import { layout } from "./layout.ts";

/** The sign-in form, with an error after a refused key. */
export function signInPage(options: { error?: string } = {}): SafeHtml {
  const error = options.error;
  const main = html`<section class="card narrow">
  <h1>Sign in</h1>
  <p class="muted">Use the operator key (<code>SENDEASY_ADMIN_KEY</code>, or the one the first
  start printed) or a company's admin key. The key is checked once; your browser keeps only a
  signed session, never the key.</p>
  ${error === undefined ? "" : html`<p class="notice notice-error" role="alert" id="sign-in-error">${error}</p>`}
  <form method="post" action="/settings/sign-in" class="stack">
    <div class="field">
      <label for="adminKey">Admin key</label>
      <input id="adminKey" name="adminKey" type="password" autocomplete="off" spellcheck="false"
        required ${error === undefined ? "" : html`aria-invalid="true" aria-describedby="sign-in-error"`}>
    </div>
    <button type="submit" class="button button-primary">Sign in</button>
  </form>
</section>`;
  return layout({ title: "Sign in", main });
}
