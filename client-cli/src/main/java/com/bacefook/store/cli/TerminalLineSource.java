package com.bacefook.store.cli;

import java.nio.file.Path;
import java.util.Optional;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.reader.impl.completer.ArgumentCompleter;
import org.jline.reader.impl.completer.NullCompleter;
import org.jline.reader.impl.completer.StringsCompleter;
import org.jline.terminal.Terminal;

/**
 * Lines typed at a terminal, read with JLine: a prompt, line editing, command-name completion and a
 * history kept in a file. Ctrl-C drops the line being typed; Ctrl-D ends the input.
 */
public final class TerminalLineSource implements LineSource {
  private static final String PROMPT = "bacefook> ";

  private final LineReader reader;

  /**
   * Creates a source reading from {@code terminal} that keeps its history in {@code historyFile}.
   */
  public TerminalLineSource(Terminal terminal, Path historyFile) {
    DefaultParser parser = new DefaultParser();
    // Hand unclosed quotes to the tokenizer, which reports them, instead of asking for more lines.
    parser.setEofOnUnclosedQuote(false);
    this.reader =
        LineReaderBuilder.builder()
            .terminal(terminal)
            .appName("bacefook")
            .parser(parser)
            .completer(
                new ArgumentCompleter(
                    new StringsCompleter(CommandParser.COMMANDS), NullCompleter.INSTANCE))
            .variable(LineReader.HISTORY_FILE, historyFile)
            // Return the line exactly as typed: no '!' history expansion, no backslash removal.
            .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
            .build();
  }

  @Override
  public Optional<String> readLine() {
    while (true) {
      try {
        return Optional.of(reader.readLine(PROMPT));
      } catch (UserInterruptException e) {
        // Ctrl-C: forget the line and prompt again.
      } catch (EndOfFileException e) {
        return Optional.empty();
      }
    }
  }
}
