package com.bacefook.store.bench;

/** The shape of the keys the load uses. */
enum KeyForm {
  /** {@code user_<id>}: one key per ID, 1,001 keys in all. */
  USER,
  /** {@code post_<id>}: one key per ID, 1,001 keys in all. */
  POST,
  /** {@code <prefix>_<id>_<seq>}: any number of keys per ID. */
  GENERIC
}
