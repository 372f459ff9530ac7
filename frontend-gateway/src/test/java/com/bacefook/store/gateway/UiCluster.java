package com.bacefook.store.gateway;

import com.bacefook.store.client.StoreClient;
import com.bacefook.store.testkit.MiniCluster;
import java.util.function.Consumer;

/**
 * What a browser test needs: a real cluster (by default of three servers), a gateway over it, a store client,
 * and a headless Chromium on the gateway's UI. Skips the test if Chromium is not installed.
 */
final class UiCluster implements AutoCloseable {
  final MiniCluster cluster;
  final GatewayServer gateway;
  final StoreClient store;
  final BrowserSession browser;
  final BacefookPage page;

  private UiCluster(MiniCluster cluster, GatewayServer gateway, BrowserSession browser) {
    this.cluster = cluster;
    this.gateway = gateway;
    this.store = cluster.newStoreClient();
    this.browser = browser;
    this.page = new BacefookPage(browser.driver(), "http://127.0.0.1:" + gateway.port() + "/");
  }

  /** Starts it all, or skips the test if Chromium is not installed. */
  static UiCluster start() {
    return startWith(
        MiniCluster.start(),
        cluster -> {
          for (int i = 0; i < 3; i++) {
            cluster.startAndJoin();
          }
        });
  }

  /**
   * Takes {@code cluster}, lets {@code populate} start and join its servers, then starts the gateway
   * and the browser; or closes it and skips the test if Chromium is not installed.
   */
  static UiCluster startWith(MiniCluster cluster, Consumer<MiniCluster> populate) {
    GatewayServer gateway = null;
    try {
      BrowserSession.assumeInstalled();
      populate.accept(cluster);
      gateway = GatewayServer.start(cluster.shardmasterAddress(), 0);
      return new UiCluster(cluster, gateway, BrowserSession.start());
    } catch (RuntimeException e) {
      if (gateway != null) {
        gateway.close();
      }
      cluster.close();
      throw e;
    }
  }

  @Override
  public void close() {
    browser.close();
    gateway.close();
    cluster.close();
  }
}
