/** ts_headline options: plain-text markers (safe anywhere, no HTML escaping needed by clients). */
export const HIGHLIGHT_OPTIONS = 'StartSel=«, StopSel=», MaxWords=35, MinWords=15';

/** Matching messages shown per room in search results. */
export const SNIPPETS_PER_ROOM = 3;

/**
 * A search whose words match at most this many messages starts from the GIN index (it collects the
 * rooms of every match, then filters and sorts those rooms); one that matches more walks the rooms
 * newest first and stops at the first page (see TranscriptSearchService).
 */
export const GIN_FIRST_MAX_MATCHES = 2000;
