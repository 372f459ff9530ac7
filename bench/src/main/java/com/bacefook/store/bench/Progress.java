package com.bacefook.store.bench;

import java.io.PrintStream;
import java.util.Locale;

/** The once-a-second progress line on stderr; silent when disabled. */
final class Progress {
  private final PrintStream out;
  private final boolean enabled;

  Progress(PrintStream out, boolean enabled) {
    this.out = out;
    this.enabled = enabled;
  }

  void line(String format, Object... args) {
    if (enabled) {
      out.println(String.format(Locale.ROOT, format, args));
      out.flush();
    }
  }

  /** Always printed: a step of the scenario worth knowing about. */
  void note(String format, Object... args) {
    out.println(String.format(Locale.ROOT, format, args));
    out.flush();
  }
}
