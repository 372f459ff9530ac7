package com.bacefook.store.shardkv;

import com.bacefook.store.client.ConfigurationSource;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.IdSet;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The heartbeat: every interval it asks the shardmaster for the latest configuration, then walks the
 * configurations from the applied one to the latest, one number at a time, fetching any it skipped
 * (cached, so a new server catches up on a long history quickly).
 * It steps past a configuration only once every range gained there has been handed over (or its wait
 * timed out). All of this runs on one thread, so steps never overlap. Also the server's {@link
 * ConfigurationSource} for its own calls to other servers.
 */
final class ConfigWalker implements ConfigurationSource, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConfigWalker.class);
  private static final int MAX_STEPS_PER_WALK = 1_000;

  /** Who steps the server's ranges: the server itself, or its replica group through the log. */
  interface Steps {
    /** Whether this server walks now: a member of a replica group walks only while it leads. */
    boolean walks();

    /** Transition "configuration applied" to {@code next}. */
    Ownership.Transition advance(Configuration next);

    /**
     * Transition "timeout": gives up on handoffs waited for without progress for {@code timeout}
     * before {@code now} (on {@link Ownership#now}'s clock).
     */
    void expire(Duration timeout, long now);

    /**
     * Notes that the sender of the handoff from {@code from} in configuration {@code configNumber}
     * is still there: its wait starts again, as after progress.
     */
    void senderAlive(long configNumber, String from);

    /**
     * The handoffs to send again when this server starts walking: a replica group's new leader
     * sends those its group still holds as SENDING (the former leader may not have finished them).
     */
    List<RangeTable.Handoff> toResend();

    /** Steps taken by {@code ownership} alone: a server that is its own group of one. */
    static Steps local(Ownership ownership) {
      return new Steps() {
        @Override
        public boolean walks() {
          return true;
        }

        @Override
        public Ownership.Transition advance(Configuration next) {
          return ownership.advance(next);
        }

        @Override
        public void expire(Duration timeout, long now) {
          ownership.expire(timeout, now);
        }

        @Override
        public void senderAlive(long configNumber, String from) {
          ownership.progress(configNumber, from);
        }

        @Override
        public List<RangeTable.Handoff> toResend() {
          return List.of();
        }
      };
    }
  }

  /** Asks whether the sender of a handoff waited for is still there (a network call). */
  interface SenderCheck {
    SenderLiveness.Verdict check(RangeTable.Handoff waited);
  }

  private final String self;
  private final ConfigCache configs;
  private final Steps steps;
  private final SenderCheck senders;
  private final Ownership ownership;
  private final HandoffSender sender;
  private final Duration interval;
  private final Duration handoffTimeout;
  private final ScheduledExecutorService thread;
  private final List<RangeTable.Handoff> toResume;
  private volatile boolean reachable = true;
  /** Whether the last walk was taken (see {@link Steps#walks}). Only the heartbeat thread uses it. */
  private boolean walking;

  /**
   * Creates the walker of {@code self}, which steps through {@code steps} and asks {@code senders}
   * before it gives up on a handoff. A restarted server first restores the configuration it acted
   * on, then sends again the handoffs {@code toResume} it had not finished.
   */
  ConfigWalker(
      String self,
      ConfigCache configs,
      Ownership ownership,
      Steps steps,
      SenderCheck senders,
      HandoffSender sender,
      Duration interval,
      Duration handoffTimeout,
      List<RangeTable.Handoff> toResume) {
    this.steps = steps;
    this.senders = senders;
    this.toResume = List.copyOf(toResume);
    this.self = self;
    this.configs = configs;
    this.ownership = ownership;
    this.sender = sender;
    this.interval = interval;
    this.handoffTimeout = handoffTimeout;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "heartbeat-" + self);
              t.setDaemon(true);
              return t;
            });
  }

  void start() {
    thread.scheduleWithFixedDelay(this::heartbeat, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Asks for a walk soon, for example because a handoff just arrived. */
  void kick() {
    if (!thread.isShutdown()) {
      thread.execute(this::walkSafely);
    }
  }

  private void heartbeat() {
    if (thread.isShutdown()) {
      return;
    }
    try {
      ownership.heardOf(configs.latest());
      if (!reachable) {
        reachable = true;
        log.info("{}: shardmaster reachable again", self);
      }
      walk();
    } catch (StatusRuntimeException e) {
      if (thread.isShutdown()) {
        return; // stopping: the interrupted call says nothing about the shardmaster
      }
      if (reachable) {
        reachable = false;
        log.warn("{}: cannot reach the shardmaster: {}", self, e.getStatus());
      }
    } catch (RuntimeException e) {
      if (thread.isShutdown()) {
        // Stopping: the server closed its channels (or its transport) under this heartbeat.
        log.debug("{}: heartbeat cut short by stopping: {}", self, e.toString());
        return;
      }
      // The next heartbeat tries again; seen once: gRPC's in-process transport threw an NPE
      // ("scheduler") for a call that raced the shardmaster's shutdown in a test.
      log.warn("{}: heartbeat failed; the next one tries again", self, e);
    }
  }

  private void walkSafely() {
    try {
      walk();
    } catch (RuntimeException e) {
      if (thread.isShutdown()) {
        return;
      }
      log.warn("{}: could not step to the next configuration: {}", self, e.toString());
    }
  }

  private void walk() {
    if (!steps.walks()) {
      walking = false;
      return;
    }
    if (!walking) {
      walking = true;
      steps.toResend().forEach(h -> sender.submit(h.configNumber(), h.peer(), h.ids()));
    }
    long restore = ownership.toRestore();
    if (restore > 0) {
      ownership.restore(configs.get(restore), toResume);
      toResume.forEach(h -> sender.submit(h.configNumber(), h.peer(), h.ids()));
    }
    for (int step = 0; step < MAX_STEPS_PER_WALK; step++) {
      expireGoneSenders();
      Configuration applied = ownership.applied();
      Configuration latest = ownership.latest();
      if (applied.number() >= latest.number() || !ownership.waiting().isEmpty()) {
        return;
      }
      // Every configuration is walked, even by a server that owns nothing now: it may own a range
      // briefly in one of them, and must then receive it and pass it on.
      Configuration next =
          applied.number() + 1 == latest.number() ? latest : configs.get(applied.number() + 1);
      step(next);
    }
  }

  /**
   * Transition "timeout" for the handoffs whose senders are gone. A handoff that made no progress for
   * the timeout but whose sender is still there (see {@link SenderLiveness}) is waited for again, as
   * if it had made progress: its sender will resend. The others are given up on, as overdue at the
   * time they were checked: a handoff that became overdue while the senders were asked is not.
   */
  private void expireGoneSenders() {
    long now = ownership.now();
    for (RangeTable.Handoff waited : ownership.overdue(handoffTimeout, now)) {
      SenderLiveness.Verdict verdict = senders.check(waited);
      if (verdict.alive()) {
        log.warn(
            "{}: no progress on the handoff of {} from {} for configuration #{} for {} ms, but the"
                + " sender is still there ({}); waiting on",
            self, waited.ids(), waited.peer(), waited.configNumber(), handoffTimeout.toMillis(),
            verdict.reason());
        steps.senderAlive(waited.configNumber(), waited.peer());
      }
    }
    steps.expire(handoffTimeout, now);
  }

  private void step(Configuration next) {
    Ownership.Transition transition = steps.advance(next);
    transition.sending().forEach(h -> sender.submit(h.configNumber(), h.peer(), h.ids()));
    IdSet owned = IdSet.ownedBy(transition.next(), ownership.self());
    log.info(
        "{}: applied configuration #{}: owns {}; hands over {}; waits for {}",
        self, next.number(), owned,
        transition.sending().stream().map(h -> h.ids() + " to " + h.peer()).toList(),
        transition.waiting().stream().map(h -> h.ids() + " from " + h.peer()).toList());
  }

  @Override
  public Configuration current() {
    return ownership.latest();
  }

  @Override
  public Configuration refresh() {
    ownership.heardOf(configs.latest());
    kick();
    return ownership.latest();
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
