import type { InteractSettings } from '../../core/model';

const attr = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The script tag a site owner pastes into their page. Contact id and widget key are per user/service. */
export function snippetFor(baseUrl: string, interact: Pick<InteractSettings, 'contactId' | 'widgetKey'>): string {
  return `<script src="${attr(baseUrl)}/interact/v1/widget.js" data-contact-id="${attr(interact.contactId)}" data-widget-key="${attr(interact.widgetKey)}" async></script>`;
}

/** Our own page that loads the widget for a contact, for trying it out. */
export function previewUrlFor(baseUrl: string, interact: Pick<InteractSettings, 'contactId' | 'widgetKey'>): string {
  return `${baseUrl}/interact/preview/${encodeURIComponent(interact.contactId)}?key=${encodeURIComponent(interact.widgetKey)}`;
}
