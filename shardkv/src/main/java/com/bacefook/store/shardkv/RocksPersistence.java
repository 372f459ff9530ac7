package com.bacefook.store.shardkv;

import com.bacefook.store.storage.DataDirectory;
import com.google.protobuf.UnsafeByteOperations;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Persistence} on RocksDB: one column family for the keys, one for the users' first-stored
 * order, one for handoff state. Every {@link Changes} is one {@link WriteBatch}. A synced apply
 * fsyncs the WAL before it returns; client writes are applied unsynced and made durable by {@link
 * #synced}: one syncer thread takes every waiting writer, calls {@link RocksDB#syncWal} once for all of
 * them (group commit), and completes them, so no fsync runs on a caller's thread or under its locks.
 */
final class RocksPersistence implements Persistence {
  /** The format a shardkv data directory declares; see {@link DataDirectory}. */
  private static final String FORMAT = "BACEFOOK-SHARDKV 1";
  private static final Logger log = LoggerFactory.getLogger(RocksPersistence.class);

  static {
    RocksDB.loadLibrary();
  }

  private final DBOptions options;
  private final ColumnFamilyOptions familyOptions;
  private final RocksDB db;
  private final ColumnFamilyHandle data;
  private final ColumnFamilyHandle users;
  private final ColumnFamilyHandle state;
  private final List<ColumnFamilyHandle> handles = new ArrayList<>();
  private final WriteOptions syncWrites = new WriteOptions().setSync(true);
  private final WriteOptions plainWrites = new WriteOptions();
  /** Writers hold it for reading; {@link #close} for writing, so no write runs on a closed database. */
  private final ReentrantReadWriteLock open = new ReentrantReadWriteLock();
  private boolean closed; // guarded by open
  /** Writers waiting for the next WAL sync; guarded by syncLock. */
  private List<CompletableFuture<Void>> waiting = new ArrayList<>();
  private boolean stopping; // guarded by syncLock
  private final Object syncLock = new Object();
  private final Thread syncer;
  private final AtomicLong walSyncs = new AtomicLong();

  private RocksPersistence(Path dir) throws RocksDBException {
    familyOptions = new ColumnFamilyOptions();
    options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
    List<ColumnFamilyDescriptor> families =
        List.of(
            new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, familyOptions),
            new ColumnFamilyDescriptor(bytes("users"), familyOptions),
            new ColumnFamilyDescriptor(bytes("state"), familyOptions));
    db = RocksDB.open(options, dir.resolve("rocksdb").toString(), families, handles);
    data = handles.get(0);
    users = handles.get(1);
    state = handles.get(2);
    syncer = new Thread(this::syncLoop, "wal-sync-" + dir.getFileName());
    syncer.setDaemon(true);
    syncer.start();
  }

  /**
   * Opens (creating if needed) the data directory {@code dir}.
   *
   * @throws IllegalStateException with a clear message if the directory is not a shardkv data
   *     directory, is corrupt, or cannot be used; nothing in it is changed then
   */
  static RocksPersistence open(Path dir) {
    DataDirectory.claim(dir, FORMAT);
    try {
      return new RocksPersistence(dir);
    } catch (RocksDBException e) {
      throw new IllegalStateException(
          "cannot open the store in " + dir + " (corrupt, or in use by another process?): "
              + e.getMessage(), e);
    }
  }

  @Override
  public void apply(Changes changes, boolean sync) {
    if (changes.isEmpty()) {
      return;
    }
    open.readLock().lock();
    try (WriteBatch batch = new WriteBatch()) {
      if (closed) {
        throw new IllegalStateException("the store is closed");
      }
      for (Changes.KeyWrite write : changes.keys) {
        if (write.value() == null) {
          batch.delete(data, bytes(write.key()));
        } else {
          batch.put(data, bytes(write.key()), encode(write.value()));
        }
      }
      for (Changes.UserWrite write : changes.users) {
        if (write.seq() < 0) {
          batch.delete(users, bytes(write.key()));
        } else {
          batch.put(users, bytes(write.key()), longBytes(write.seq()));
        }
      }
      for (Changes.StateWrite write : changes.state) {
        if (write.value() == null) {
          batch.delete(state, bytes(write.name()));
        } else {
          batch.put(state, bytes(write.name()), write.value());
        }
      }
      db.write(sync ? syncWrites : plainWrites, batch);
    } catch (RocksDBException e) {
      throw new IllegalStateException("write to the store failed: " + e.getMessage(), e);
    } finally {
      open.readLock().unlock();
    }
  }

  @Override
  public CompletionStage<Void> synced() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    synchronized (syncLock) {
      if (stopping) {
        throw new IllegalStateException("the store is closed");
      }
      waiting.add(done);
      if (waiting.size() == 1) {
        syncLock.notifyAll();
      }
    }
    return done;
  }

  /**
   * The syncer: waits for writers, syncs the WAL once for all that are waiting (each applied its
   * changes before it asked, so one sync started after that covers them all), completes them, and
   * repeats; at close it syncs for the last ones and stops.
   */
  private void syncLoop() {
    while (true) {
      List<CompletableFuture<Void>> batch;
      synchronized (syncLock) {
        while (waiting.isEmpty() && !stopping) {
          try {
            syncLock.wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
        if (waiting.isEmpty()) {
          return;
        }
        batch = waiting;
        waiting = new ArrayList<>();
      }
      try {
        db.syncWal();
        walSyncs.incrementAndGet();
        batch.forEach(done -> done.complete(null));
      } catch (RocksDBException e) {
        log.error("syncing the write-ahead log failed; {} writes are not acknowledged", batch.size(), e);
        StatusRuntimeException failure =
            Status.INTERNAL.withDescription("the write could not be made durable: " + e.getMessage())
                .asRuntimeException();
        batch.forEach(done -> done.completeExceptionally(failure));
      }
    }
  }

  /** Returns how many WAL syncs {@link #synced} has run: fewer than its callers when they overlap. */
  long walSyncs() {
    return walSyncs.get();
  }

  @Override
  public Loaded load() {
    Map<String, Long> userSeqs = new HashMap<>();
    try (RocksIterator it = db.newIterator(users)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        userSeqs.put(string(it.key()), bytesLong(it.value()));
      }
    }
    List<LoadedKey> keys = new ArrayList<>();
    try (RocksIterator it = db.newIterator(data)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        String key = string(it.key());
        keys.add(new LoadedKey(key, decode(it.value()), userSeqs.getOrDefault(key, -1L)));
      }
    }
    Map<String, byte[]> records = new TreeMap<>();
    try (RocksIterator it = db.newIterator(state)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        records.put(string(it.key()), it.value());
      }
    }
    return new Loaded(keys, records);
  }

  @Override
  public boolean durable() {
    return true;
  }

  @Override
  public void close() {
    open.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
    } finally {
      open.writeLock().unlock();
    }
    synchronized (syncLock) {
      stopping = true;
      syncLock.notifyAll();
    }
    try {
      syncer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      db.syncWal();
    } catch (RocksDBException e) {
      // Client writes were synced already; unsynced handoff writes are redone after a restart.
    }
    handles.forEach(ColumnFamilyHandle::close);
    db.close();
    syncWrites.close();
    plainWrites.close();
    options.close();
    familyOptions.close();
  }

  static byte[] encode(StoredValue value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.byteLength() + 16);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      byte[] author = value.author() == null ? null : bytes(value.author());
      out.writeInt(author == null ? -1 : author.length);
      if (author != null) {
        out.write(author);
      }
      value.valueBytes().writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static StoredValue decode(byte[] encoded) {
    try {
      int authorLength = ByteBuffer.wrap(encoded).getInt();
      int valueStart = Integer.BYTES + Math.max(authorLength, 0);
      String author =
          authorLength < 0
              ? null
              : new String(encoded, Integer.BYTES, authorLength, StandardCharsets.UTF_8);
      return StoredValue.of(
          UnsafeByteOperations.unsafeWrap(encoded, valueStart, encoded.length - valueStart), author);
    } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
      throw new IllegalStateException("corrupt value in the store", e);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String string(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static byte[] longBytes(long v) {
    return ByteBuffer.allocate(Long.BYTES).putLong(v).array();
  }

  private static long bytesLong(byte[] b) {
    return ByteBuffer.wrap(b).getLong();
  }
}
