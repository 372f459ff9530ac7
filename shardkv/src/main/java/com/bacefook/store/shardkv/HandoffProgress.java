package com.bacefook.store.shardkv;

/**
 * How far one handoff has come, in keys: {@code keysDone} of {@code keysTotal} delivered ({@code
 * keysTotal} is 0 while unknown, as on the receiving end before {@code EndHandoff}).
 */
record HandoffProgress(long keysTotal, long keysDone) {
  static final HandoffProgress UNKNOWN = new HandoffProgress(0, 0);
}
