/**
 * A confirmation page before an action that cannot be undone (delete, rotate): works without
 * JavaScript, and the keyboard lands on Cancel, the safe choice.
 *
 * @module
 */
import { html, type SafeHtml } from "../html.ts";
import { csrfField, type HeaderInfo, layout } from "./layout.ts";

/** What to confirm. */
export interface ConfirmOptions {
  title: string;
  /** Paragraphs explaining the consequence. */
  message: string[];
  action: string;
  button: string;
  cancelHref: string;
  header: HeaderInfo;
}

/** The confirmation page. */
export function confirmPage(options: ConfirmOptions): SafeHtml {
  const main = html`<section class="card narrow">
  <h1>${options.title}</h1>
  ${options.message.map((text) => html`<p>${text}</p>`)}
  <form method="post" action="${options.action}" class="actions">
    ${csrfField(options.header.csrf)}
    <button type="submit" class="button button-danger">${options.button}</button>
    <a class="button" href="${options.cancelHref}" autofocus>Cancel</a>
  </form>
</section>`;
  return layout({ title: options.title, main, header: options.header });
}

/** A refused request (cross-site or missing token). */
export function refusedPage(reason: string): SafeHtml {
  const main = html`<section class="card narrow">
  <h1>Request refused</h1>
  <p>This form did not come from this page (${reason}). Nothing was changed.</p>
  <p><a href="/settings/integrations">Back to integrations</a></p>
</section>`;
  return layout({ title: "Request refused", main });
}
