package com.bacefook.store.bench;

import com.bacefook.store.client.StoreClient;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.KeyId;
import com.bacefook.store.sharding.SocialKeys;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntPredicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The GDPR delete of a user with many posts spread over every server: write the user and its posts
 * ({@code post_<M>} with IDs spread over the key space, each naming the user, so the server owning the user keeps their list), time the
 * shardmaster's GDPRDelete, and check that the user, their list and every post are gone. Repeated for
 * a few rounds.
 */
@Command(
    name = "gdpr",
    mixinStandardHelpOptions = true,
    description = "Time the GDPR delete of a user whose posts live on every server.")
final class GdprCommand extends ScenarioCommand {
  @Option(names = "--posts", paramLabel = "N", description = "Posts of the user, with IDs spread evenly over [0, 1000] (at most 1,001; default: ${DEFAULT-VALUE}).")
  int posts = 1000;

  @Option(names = "--rounds", paramLabel = "N", description = "Times the user is written and erased (default: ${DEFAULT-VALUE}).")
  int rounds = 3;

  @Option(names = "--user-id", paramLabel = "ID", description = "The user is user_<ID> (default: ${DEFAULT-VALUE}).")
  int userId = 7;

  @Option(names = "--value-bytes", paramLabel = "N", description = "Size of each post's text (default: ${DEFAULT-VALUE}).")
  int valueBytes = 100;

  @Option(names = "--write-threads", paramLabel = "N", description = "Threads writing and checking posts (default: ${DEFAULT-VALUE}).")
  int writeThreads = 16;

  @Override
  String scenario() {
    return "gdpr";
  }

  @Override
  int defaultServers() {
    return 3;
  }

  @Override
  void validate() {
    Checks.positive("--posts", posts, KeyId.COUNT);
    Checks.positive("--rounds", rounds, 1000);
    Checks.valueBytes(valueBytes);
    Checks.positive("--write-threads", writeThreads, 256);
    if (!KeyId.isValid(userId)) {
      throw new IllegalArgumentException("--user-id must lie in [0, 1000]");
    }
  }

  /** One write-and-erase of the user. */
  record Round(int round, double writeSeconds, double deleteMillis, double postsPerSecond, long leftOver) {}

  @Override
  Outcome run(Cluster cluster, RunContext context) {
    Progress progress = context.progress();
    StoreClient store = cluster.store();
    String user = "user_" + userId;
    Configuration config = cluster.configuration();
    Map<String, Integer> postsPerServer = new TreeMap<>();
    for (int i = 0; i < posts; i++) {
      postsPerServer.merge(config.ownerOf(postId(i)).orElse("nobody"), 1, Integer::sum);
    }
    List<String> notes = new ArrayList<>();
    if (postsPerServer.size() < config.servers().size()) {
      notes.add("the posts live on " + postsPerServer.size() + " of the " + config.servers().size() + " servers");
    }

    List<Round> done = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      long writeStart = System.nanoTime();
      store.put(user, "Bench User " + round, "");
      Failures failed =
          parallel(posts, writeThreads, m -> {
            String post = "post_" + postId(m);
            store.put(post, Values.forKey(post, valueBytes), user);
            return true;
          });
      if (failed.count() > 0) {
        throw new IllegalStateException(
            failed.count() + " posts of " + user + " could not be written; the first failure: " + failed.first());
      }
      int listed = SocialKeys.splitList(store.get(SocialKeys.postsOf(user)).value()).size();
      if (listed != posts) {
        throw new IllegalStateException(SocialKeys.postsOf(user) + " lists " + listed + " posts, expected " + posts);
      }
      double writeSeconds = (System.nanoTime() - writeStart) / 1e9;

      long start = System.nanoTime();
      cluster.shardmaster().gdprDelete(user);
      double millis = (System.nanoTime() - start) / 1e6;

      Failures left = parallel(posts, writeThreads, m -> isGone("post_" + postId(m), store));
      if (left.first() != null) {
        notes.add("round " + round + ": checking the posts failed: " + left.first());
      }
      long leftOver = left.count();
      leftOver += isGone(user, store) ? 0 : 1;
      leftOver += isGone(SocialKeys.postsOf(user), store) ? 0 : 1;
      Round result = new Round(round, round3(writeSeconds), round3(millis), Math.round(posts / (millis / 1000)), leftOver);
      done.add(result);
      progress.line("%-22s round %d/%d: wrote %d posts in %.2f s, erased in %.1f ms, %d left over",
          "gdpr", round, rounds, posts, writeSeconds, millis, leftOver);
      if (leftOver > 0) {
        notes.add("round " + round + ": " + leftOver + " keys of " + user + " were still readable after the GDPR delete");
      }
    }

    double[] millis = done.stream().mapToDouble(Round::deleteMillis).sorted().toArray();
    Tables table = new Tables("round", "posts", "write s", "GDPRDelete ms", "posts/s erased", "left over");
    for (Round r : done) {
      table.row(r.round(), posts, Tables.fixed(r.writeSeconds(), 2), Tables.fixed(r.deleteMillis(), 1),
          Tables.count(Math.round(r.postsPerSecond())), r.leftOver());
    }
    String header = String.format(Locale.ROOT, "%s with %d posts of %d B over %s%n", user, posts, valueBytes, postsPerServer);
    double median =
        millis.length % 2 == 1 ? millis[millis.length / 2] : (millis[millis.length / 2 - 1] + millis[millis.length / 2]) / 2;
    String footer = String.format(Locale.ROOT, "GDPRDelete: min %.1f ms, median %.1f ms, max %.1f ms%n",
        millis[0], median, millis[millis.length - 1]);

    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("user", user);
    parameters.put("posts", posts);
    parameters.put("rounds", rounds);
    parameters.put("valueBytes", valueBytes);
    parameters.put("writeThreads", writeThreads);
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("postsPerServer", postsPerServer);
    results.put("rounds", done);
    results.put("deleteMillisMin", millis[0]);
    results.put("deleteMillisMedian", median);
    results.put("deleteMillisMax", millis[millis.length - 1]);
    notes.add("GDPRDelete is one shardmaster RPC, timed by the bench from call to reply; the shardmaster erases the posts through the servers that own them");
    return new Outcome(parameters, results, header + table.render() + footer, notes);
  }

  /** The ID of post number {@code i}: the posts are spread evenly over [0, 1000], so over every server. */
  private int postId(int i) {
    return (int) ((long) i * KeyId.COUNT / posts);
  }

  private static boolean isGone(String key, StoreClient store) {
    try {
      store.get(key);
      return false;
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return true;
      }
      throw e;
    }
  }

  /** How many tasks returned false or threw, and the first status thrown (null if none threw). */
  record Failures(long count, String first) {}

  /** Runs {@code task} for 0..count-1 on {@code threads} threads. */
  private static Failures parallel(int count, int threads, IntPredicate task) {
    AtomicInteger next = new AtomicInteger();
    AtomicLong failures = new AtomicLong();
    AtomicReference<String> first = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      Thread worker =
          new Thread(
              () -> {
                try {
                  for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    try {
                      if (!task.test(i)) {
                        failures.incrementAndGet();
                      }
                    } catch (StatusRuntimeException e) {
                      failures.incrementAndGet();
                      first.compareAndSet(null, "task " + i + ": " + e.getStatus());
                    }
                  }
                } finally {
                  done.countDown();
                }
              },
              "bench-gdpr-" + t);
      worker.setDaemon(true);
      worker.start();
    }
    try {
      // Each call has the client's 10 s deadline; count / threads calls each at worst.
      if (!done.await(10L * (count / threads + 2), TimeUnit.SECONDS)) {
        throw new IllegalStateException("writing or checking posts did not finish in time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    return new Failures(failures.get(), first.get());
  }

  private static double round3(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
