package com.bacefook.store.shardmaster;

import com.bacefook.store.client.ProtoConfigurations;
import com.bacefook.store.proto.QueryResponse;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.storage.DataDirectory;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

/** {@link HistoryLog} on RocksDB: configuration number (big-endian) → its wire form, synced writes. */
final class RocksHistoryLog implements HistoryLog {
  private static final String FORMAT = "BACEFOOK-SHARDMASTER 1";

  static {
    RocksDB.loadLibrary();
  }

  private final Options options;
  private final RocksDB db;
  private final WriteOptions sync = new WriteOptions().setSync(true);

  private RocksHistoryLog(Path dir) throws RocksDBException {
    options = new Options().setCreateIfMissing(true);
    db = RocksDB.open(options, dir.resolve("rocksdb").toString());
  }

  /**
   * Opens (creating if needed) the data directory {@code dir}.
   *
   * @throws IllegalStateException with a clear message if it is foreign, corrupt or in use
   */
  static RocksHistoryLog open(Path dir) {
    DataDirectory.claim(dir, FORMAT);
    try {
      return new RocksHistoryLog(dir);
    } catch (RocksDBException e) {
      throw new IllegalStateException(
          "cannot open the configuration history in " + dir + " (corrupt, or in use by another"
              + " process?): " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void append(Configuration config) {
    try {
      db.put(sync, key(config.number()), ProtoConfigurations.toProto(config).toByteArray());
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot save configuration #" + config.number(), e);
    }
  }

  @Override
  public synchronized List<Configuration> load() {
    List<Configuration> configs = new ArrayList<>();
    try (RocksIterator it = db.newIterator()) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        Configuration config = ProtoConfigurations.fromProto(QueryResponse.parseFrom(it.value()));
        if (config.number() != configs.size() + 1) {
          throw new IllegalStateException(
              "configuration history is corrupt: found #" + config.number() + " after #"
                  + configs.size());
        }
        configs.add(config);
      }
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("configuration history is corrupt: " + e.getMessage(), e);
    }
    return configs;
  }

  @Override
  public synchronized void close() {
    db.close();
    sync.close();
    options.close();
  }

  private static byte[] key(long number) {
    return ByteBuffer.allocate(Long.BYTES).putLong(number).array();
  }
}
