package com.bacefook.store.sharding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.bacefook.store.storage.DataDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryTest {
  @TempDir Path tmp;

  @Test
  void claimsANewDirectoryAndAcceptsItAgain() {
    Path dir = tmp.resolve("data");
    DataDirectory.claim(dir, "ROLE 1");
    DataDirectory.claim(dir, "ROLE 1");
    assertThat(dir.resolve("FORMAT")).hasContent("ROLE 1");
  }

  @Test
  void refusesForeignOrOtherRoleDirectoriesWithoutTouchingThem() throws Exception {
    Files.writeString(tmp.resolve("important.txt"), "keep me");
    assertThatThrownBy(() -> DataDirectory.claim(tmp, "ROLE 1"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("refusing");
    assertThat(tmp.resolve("FORMAT")).doesNotExist();

    Path other = tmp.resolve("other");
    DataDirectory.claim(other, "OTHER 1");
    assertThatThrownBy(() -> DataDirectory.claim(other, "ROLE 1")).hasMessageContaining("OTHER 1");

    Path file = tmp.resolve("important.txt");
    assertThatThrownBy(() -> DataDirectory.claim(file, "ROLE 1")).hasMessageContaining("is a file");
  }
}
