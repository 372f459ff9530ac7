package com.bacefook.store.gateway;

import com.bacefook.store.sharding.InvalidKeyException;
import com.bacefook.store.sharding.KeyId;
import com.bacefook.store.sharding.SocialKeys;

/**
 * Checks what users type: user and post IDs in their one canonical spelling ({@code user_17}, not
 * {@code user_017}) with an ID in {@code [0, 1000]}, names and post texts within their limits. Each
 * check returns the accepted value or throws a {@link ClientError} that says what to type instead.
 */
public final class Inputs {
  /** The longest user name accepted, in characters. */
  public static final int MAX_NAME_LENGTH = 80;
  /** The longest post accepted, in characters. */
  public static final int MAX_POST_LENGTH = 5000;

  private Inputs() {}

  /** Returns {@code userId} if it is {@code user_<N>} with N in {@code [0, 1000]}. */
  public static String userId(String field, String userId) {
    return socialId(field, userId, "user");
  }

  /** Returns {@code postId} if it is {@code post_<N>} with N in {@code [0, 1000]}. */
  public static String postId(String field, String postId) {
    return socialId(field, postId, "post");
  }

  /** Returns the name with surrounding blanks removed, if it is not blank and not too long. */
  public static String userName(String field, String name) {
    String stripped = name.strip();
    if (stripped.isEmpty()) {
      throw ClientError.invalid("'" + field + "' is empty: type a name");
    }
    if (stripped.length() > MAX_NAME_LENGTH) {
      throw ClientError.invalid(
          "'" + field + "' is " + stripped.length() + " characters long; the limit is "
              + MAX_NAME_LENGTH);
    }
    return stripped;
  }

  /** Returns the post text as typed, if it is not blank and not too long. */
  public static String postText(String field, String text) {
    if (text.isBlank()) {
      throw ClientError.invalid("'" + field + "' is empty: write something");
    }
    if (text.length() > MAX_POST_LENGTH) {
      throw ClientError.invalid(
          "'" + field + "' is " + text.length() + " characters long; the limit is "
              + MAX_POST_LENGTH);
    }
    return text;
  }

  private static String socialId(String field, String value, String prefix) {
    String expected = "'" + field + "' must look like " + prefix + "_<N> with N from 0 to 1000";
    if (!value.startsWith(prefix + "_") || value.length() > 40) {
      throw ClientError.invalid(expected + ", not '" + shorten(value) + "'");
    }
    int id;
    try {
      id = KeyId.of(value);
    } catch (InvalidKeyException e) {
      throw ClientError.invalid(expected + ": " + e.getMessage());
    }
    String canonical = prefix.equals("user") ? SocialKeys.user(id) : SocialKeys.post(id);
    if (!canonical.equals(value)) {
      throw ClientError.invalid(
          expected + ": write '" + canonical + "', not '" + shorten(value) + "'");
    }
    return value;
  }

  private static String shorten(String value) {
    return value.length() <= 40 ? value : value.substring(0, 40) + "…";
  }
}
