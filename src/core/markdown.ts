/**
 * Escapes text for a MarkdownString (tooltips), so names and paths show as written: every
 * character Markdown gives a meaning is backslash-escaped (`:` too, so `http://…` in a name is
 * never turned into a link), and line breaks become spaces (a blank line would end the paragraph).
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/\r\n?|\n/g, ' ').replace(/[\\`*_{}[\]()#+\-.!|<>:~&$=^"']/g, '\\$&');
}
