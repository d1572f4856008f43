package io.tidemark.migrate;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.Column.Overflow;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * How the --help text reads: the synopsis, each command on a line with its own options, the options
 * as "--password PW" (never "--password=PW", which the redactor would mask), the exit codes.
 * docs/runner.md is the long form.
 */
final class RunnerUsage {
  private static final int USAGE_WIDTH = 100;
  private static final String EXIT_CODES =
      "Exit codes: 0 ok, 1 migration or undo failed, 2 validation failed (drift, round trip),"
          + " 3 bad input (usage, unknown revision, missing undo script, no migrations, a"
          + " non-empty schema without history), 4 cannot connect, 5 internal error, 6 wait timed"
          + " out, 7 backup failed (change).";

  /** Option labels as "--password PW" (see commandLine). */
  private static final Help.IParamLabelRenderer SPACED_LABEL =
      new Help.IParamLabelRenderer() {
        @Override
        public Help.Ansi.Text renderParameterLabel(
            ArgSpec arg, Help.Ansi ansi, List<Help.Ansi.IStyle> styles) {
          return ansi.apply(arg.arity().max() > 0 ? " " + arg.paramLabel() : "", styles);
        }

        @Override
        public String separator() {
          return " ";
        }
      };

  private RunnerUsage() {}

  /** Lays out {@code root}'s usage message (the commands are read when it is rendered). */
  static void describe(CommandSpec root) {
    UsageMessageSpec usage =
        root.usageMessage()
            .customSynopsis("tidemark-migrate <command> [options]")
            .commandListHeading("%nCommands:%n")
            .optionListHeading("%nOptions:%n")
            .footerHeading("%n")
            .footer(EXIT_CODES)
            .width(USAGE_WIDTH)
            .sortOptions(false);
    usage
        .sectionMap()
        .put(
            UsageMessageSpec.SECTION_KEY_COMMAND_LIST,
            help -> commandList(help.commandSpec().commandLine()));
    // Labels as "--password PW", not picocli's "--password=PW": the redactor masks whatever
    // follows a password key and an equals sign in every line the runner prints, usage included.
    usage
        .sectionMap()
        .put(
            UsageMessageSpec.SECTION_KEY_OPTION_LIST,
            help -> help.optionList(help.createDefaultLayout(), null, SPACED_LABEL));
    usage.sectionKeys(
        List.of(
            UsageMessageSpec.SECTION_KEY_SYNOPSIS_HEADING,
            UsageMessageSpec.SECTION_KEY_SYNOPSIS,
            UsageMessageSpec.SECTION_KEY_COMMAND_LIST_HEADING,
            UsageMessageSpec.SECTION_KEY_COMMAND_LIST,
            UsageMessageSpec.SECTION_KEY_OPTION_LIST_HEADING,
            UsageMessageSpec.SECTION_KEY_OPTION_LIST,
            UsageMessageSpec.SECTION_KEY_FOOTER_HEADING,
            UsageMessageSpec.SECTION_KEY_FOOTER));
  }

  /** Each command with its own options and what it does, as the old hand-written text had it. */
  private static String commandList(CommandLine line) {
    Help.TextTable table =
        Help.TextTable.forColumns(
            Help.defaultColorScheme(Help.Ansi.OFF),
            new Column(38, 2, Overflow.SPAN),
            new Column(USAGE_WIDTH - 38, 0, Overflow.WRAP));
    table.indentWrappedLines = 0;
    for (CommandLine sub : line.getSubcommands().values()) {
      StringBuilder synopsis = new StringBuilder(sub.getCommandName());
      for (OptionSpec option : sub.getCommandSpec().options()) {
        if (option.inherited() || option.usageHelp()) {
          continue;
        }
        String text =
            option.longestName() + (option.arity().max() > 0 ? " " + option.paramLabel() : "");
        synopsis.append(' ').append(option.required() ? text : "[" + text + "]");
      }
      String[] description = sub.getCommandSpec().usageMessage().description();
      table.addRowValues(synopsis.toString(), description.length == 0 ? "" : description[0]);
      for (int i = 1; i < description.length; i++) {
        table.addRowValues("", description[i]);
      }
    }
    return table.toString();
  }
}
