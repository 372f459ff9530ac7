package com.bacefook.store.client;

import com.bacefook.store.rpc.Addresses;
import com.bacefook.store.sharding.Quote;
import com.google.common.net.HostAndPort;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Where the shardmaster is: one {@code HOST:PORT}, or the members of a replicated shardmaster as a
 * comma-separated list {@code HOST:PORT,HOST:PORT,HOST:PORT}.
 *
 * @param addresses each {@code HOST:PORT}, in the order given, without repeats
 */
public record ShardmasterAddresses(List<String> addresses) {
  /** Copies {@code addresses}, which must not be empty. */
  public ShardmasterAddresses {
    addresses = List.copyOf(new LinkedHashSet<>(addresses));
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("no shardmaster address: expected HOST:PORT[,HOST:PORT...]");
    }
  }

  /**
   * Parses {@code HOST:PORT} or {@code HOST:PORT,HOST:PORT,...}.
   *
   * @throws IllegalArgumentException naming the bad item and what is wrong with it
   */
  public static ShardmasterAddresses parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(
          "empty shardmaster address: expected HOST:PORT or HOST:PORT,HOST:PORT,HOST:PORT");
    }
    List<String> addresses = new ArrayList<>();
    String[] items = text.split(",", -1);
    for (int i = 0; i < items.length; i++) {
      String item = items[i].strip();
      if (item.isEmpty()) {
        throw new IllegalArgumentException(
            "bad shardmaster list " + Quote.of(text) + ": item " + (i + 1) + " is empty");
      }
      try {
        addresses.add(Addresses.parse(item).toString());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "bad shardmaster list " + Quote.of(text) + ": " + e.getMessage(), e);
      }
    }
    return new ShardmasterAddresses(addresses);
  }

  /**
   * Splits {@code text} at its commas without checking that each item is {@code HOST:PORT}: for a
   * list checked already, or the names of in-process channels.
   */
  public static ShardmasterAddresses split(String text) {
    return new ShardmasterAddresses(
        List.of(text.split(",")).stream().map(String::strip).filter(a -> !a.isEmpty()).toList());
  }

  /**
   * Parses the shardmaster given as two arguments {@code <HOST> <PORT>}, where {@code HOST} may
   * instead be the list {@code HOST:PORT,HOST:PORT,...} with {@code PORT} given as {@code -}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static ShardmasterAddresses fromHostAndPort(String host, String port) {
    if (port.equals("-")) {
      return parse(host);
    }
    if (host.contains(",")) {
      throw new IllegalArgumentException(
          "a shardmaster list " + Quote.of(host) + " takes '-' as its port, not " + Quote.of(port));
    }
    int number = Addresses.port(port, 1);
    String address;
    try {
      address = HostAndPort.fromParts(host.strip(), number).toString();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad shardmaster host " + Quote.of(host), e);
    }
    return parse(address);
  }

  /** Returns the first address. */
  public String first() {
    return addresses.get(0);
  }

  /** Returns the address after {@code address} (the first after the last, or if not listed). */
  public String after(String address) {
    int i = addresses.indexOf(address);
    return addresses.get((i + 1) % addresses.size());
  }

  @Override
  public String toString() {
    return String.join(",", addresses);
  }
}
