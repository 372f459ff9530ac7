/**
 * The command-line client: a shell that reads one command per line, from a terminal (with line
 * editing and history) or from a pipe (no prompt, for scripts), and runs it against the shardmaster
 * and the shardkv servers. {@link com.bacefook.store.cli.CommandParser} turns a line into a {@link
 * com.bacefook.store.cli.Command}, {@link com.bacefook.store.cli.CommandExecutor} runs it and
 * prints the outcome, {@link com.bacefook.store.cli.Shell} loops, and {@link
 * com.bacefook.store.cli.ClientMain} wires them together.
 */
package com.bacefook.store.cli;
