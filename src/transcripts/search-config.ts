/**
 * The text search configuration of `messages.search_vector` (a generated column: see the migration
 * CreateConversationStore). Queries must use the same one or stems and case folding would not match.
 * `simple` folds case and does not stem or drop stop words, so names, order numbers and codes match
 * as typed. Changing it (e.g. a TRANSCRIPTS_SEARCH_LANGUAGE setting) needs a migration recreating
 * the generated column and its GIN index with the new configuration.
 */
export const TRANSCRIPT_SEARCH_CONFIG = 'simple';

/** ts_headline options: plain-text markers (safe anywhere, no HTML escaping needed by clients). */
export const HIGHLIGHT_OPTIONS = 'StartSel=«, StopSel=», MaxWords=35, MinWords=15';

/** Matching messages shown per room in search results. */
export const SNIPPETS_PER_ROOM = 3;
