package com.bacefook.store.sharding;

import java.util.ArrayList;
import java.util.List;

/**
 * The social-graph conventions the store keeps: {@code user_<id>} holds a user's name,
 * {@code post_<id>} a post's text, {@code user_<id>_posts} the comma-terminated list of a user's posts,
 * and {@code all_users} (answered by each server for itself) the users that server holds.
 */
public final class SocialKeys {
  /** The special key each server answers with the users it holds. */
  public static final String ALL_USERS = "all_users";

  private static final String USER_PREFIX = "user_";
  private static final String POST_PREFIX = "post_";
  private static final String POSTS_SUFFIX = "_posts";

  private SocialKeys() {}

  /**
   * Returns the ID of {@code key}, a key clients may write.
   *
   * @throws InvalidKeyException if the key is malformed, or is {@code all_users}, which each server
   *     keeps for itself
   */
  public static int writableId(String key) {
    if (ALL_USERS.equals(key)) {
      throw new InvalidKeyException(ALL_USERS + " is kept by each server and cannot be written");
    }
    return KeyId.of(key);
  }

  /** Returns whether {@code key} names a user, like {@code user_17} (not {@code user_17_posts}). */
  public static boolean isUser(String key) {
    return isPrefixAndDigits(key, USER_PREFIX);
  }

  /** Returns whether {@code key} names a post, like {@code post_402}. */
  public static boolean isPost(String key) {
    return isPrefixAndDigits(key, POST_PREFIX);
  }

  /** Returns whether {@code key} is {@code prefix} followed by one or more ASCII digits. */
  private static boolean isPrefixAndDigits(String key, String prefix) {
    int length = key.length();
    if (length <= prefix.length() || !key.startsWith(prefix)) {
      return false;
    }
    for (int i = prefix.length(); i < length; i++) {
      char c = key.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** Returns whether {@code key} is a user key whose ID lies in {@code [0, 1000]}. */
  public static boolean isValidUser(String key) {
    return isUser(key) && hasValidId(key);
  }

  /** Returns whether {@code key} is a post key whose ID lies in {@code [0, 1000]}. */
  public static boolean isValidPost(String key) {
    return isPost(key) && hasValidId(key);
  }

  private static boolean hasValidId(String key) {
    try {
      KeyId.of(key);
      return true;
    } catch (InvalidKeyException e) {
      return false;
    }
  }

  /** Returns the key of the post list of {@code userKey}: {@code user_17} → {@code user_17_posts}. */
  public static String postsOf(String userKey) {
    return userKey + POSTS_SUFFIX;
  }

  /** Returns the user key {@code user_<id>}. */
  public static String user(int id) {
    return USER_PREFIX + id;
  }

  /** Returns the post key {@code post_<id>}. */
  public static String post(int id) {
    return POST_PREFIX + id;
  }

  /** Appends {@code item} and the terminating comma to a comma-terminated list. */
  public static String appendItem(String list, String item) {
    return list + item + ",";
  }

  /** Returns whether a comma-terminated list holds {@code item}. */
  public static boolean containsItem(String list, String item) {
    return list.startsWith(item + ",") || list.contains("," + item + ",");
  }

  /** Removes every occurrence of {@code item} from a comma-terminated list. */
  public static String removeItem(String list, String item) {
    StringBuilder out = new StringBuilder(list.length());
    for (String each : splitList(list)) {
      if (!each.equals(item)) {
        out.append(each).append(',');
      }
    }
    return out.toString();
  }

  /** Splits a comma-terminated list such as {@code post_1,post_2,} into its items. */
  public static List<String> splitList(String list) {
    List<String> items = new ArrayList<>();
    int from = 0;
    while (from < list.length()) {
      int comma = list.indexOf(',', from);
      int to = comma < 0 ? list.length() : comma;
      if (to > from) {
        items.add(list.substring(from, to));
      }
      from = to + 1;
    }
    return items;
  }
}
