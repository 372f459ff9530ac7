package com.bacefook.store.bench;

import java.util.Locale;

/** A key operation the load generator can issue. */
enum Op {
  GET,
  PUT,
  APPEND,
  DELETE;

  /** Returns the lower-case name used in options, tables and results. */
  String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
