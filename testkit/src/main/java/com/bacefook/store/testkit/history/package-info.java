/**
 * Histories of key-value operations and a checker that decides whether a history is linearizable.
 *
 * <p>{@link com.bacefook.store.testkit.history.HistoryRecorder} records what clients asked and what
 * they were told, with invoke and return times; {@link
 * com.bacefook.store.testkit.history.LinearizabilityChecker} searches, key by key, for an order of the
 * operations that respects real time and the semantics of a single register with append.
 */
package com.bacefook.store.testkit.history;
