package com.bacefook.store.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Parses the arguments of {@code import <file> [--strict]} and {@code export [file]}. Pure. */
final class ImportExportArgs {
  private static final String IMPORT_USAGE = "import <file> [--strict]";
  private static final String EXPORT_USAGE = "export [file]";

  private ImportExportArgs() {}

  static Command.Import importCommand(List<String> args) throws UsageException {
    boolean strict = false;
    List<String> files = new ArrayList<>();
    for (String arg : args) {
      if (arg.equals("--strict")) {
        strict = true;
      } else if (arg.startsWith("--")) {
        throw new UsageException("unknown option " + arg + "; usage: " + IMPORT_USAGE);
      } else {
        files.add(arg);
      }
    }
    if (files.size() != 1) {
      throw new UsageException("import takes one file, got " + files.size() + "; usage: " + IMPORT_USAGE);
    }
    return new Command.Import(path(files.get(0), IMPORT_USAGE), strict);
  }

  static Command.Export exportCommand(List<String> args) throws UsageException {
    if (args.size() > 1) {
      throw new UsageException("export takes at most one file, got " + args.size() + "; usage: " + EXPORT_USAGE);
    }
    return new Command.Export(args.isEmpty() ? null : path(args.get(0), EXPORT_USAGE));
  }

  private static Path path(String text, String usage) throws UsageException {
    try {
      return Path.of(text);
    } catch (InvalidPathException e) {
      throw new UsageException("bad file name '" + text + "': " + e.getReason() + "; usage: " + usage);
    }
  }
}
