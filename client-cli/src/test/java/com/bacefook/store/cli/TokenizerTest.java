package com.bacefook.store.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TokenizerTest {
  @Test
  void splitsOnWhitespace() throws UsageException {
    assertThat(Tokenizer.tokenize("  put  user_1\tAlice  "))
        .containsExactly("put", "user_1", "Alice");
  }

  @Test
  void blankLineHasNoWords() throws UsageException {
    assertThat(Tokenizer.tokenize("")).isEmpty();
    assertThat(Tokenizer.tokenize("   \t ")).isEmpty();
  }

  @Test
  void doubleQuotesKeepSpaces() throws UsageException {
    assertThat(Tokenizer.tokenize("put post_3 \"hello world\" user_1"))
        .containsExactly("put", "post_3", "hello world", "user_1");
  }

  @Test
  void singleQuotesKeepSpaces() throws UsageException {
    assertThat(Tokenizer.tokenize("put post_3 'x  y'")).containsExactly("put", "post_3", "x  y");
  }

  @Test
  void eachQuoteKindHoldsTheOther() throws UsageException {
    assertThat(Tokenizer.tokenize("a \"it's\" 'say \"hi\"'"))
        .containsExactly("a", "it's", "say \"hi\"");
  }

  @Test
  void emptyQuotesAreAnEmptyWord() throws UsageException {
    assertThat(Tokenizer.tokenize("put user_1 \"\"")).containsExactly("put", "user_1", "");
    assertThat(Tokenizer.tokenize("put user_1 ''")).containsExactly("put", "user_1", "");
  }

  @Test
  void touchingPartsFormOneWord() throws UsageException {
    assertThat(Tokenizer.tokenize("ab\"c d\"'e f'g")).containsExactly("abc de fg");
  }

  @Test
  void backslashEscapesInsideDoubleQuotes() throws UsageException {
    assertThat(Tokenizer.tokenize("\"a \\\"b\\\" \\\\ \\n\"")).containsExactly("a \"b\" \\ \\n");
  }

  @Test
  void singleQuotesAreLiteral() throws UsageException {
    assertThat(Tokenizer.tokenize("'a\\b'")).containsExactly("a\\b");
  }

  @Test
  void backslashOutsideQuotesMakesTheNextCharacterLiteral() throws UsageException {
    assertThat(Tokenizer.tokenize("hello\\ world \\\"q")).containsExactly("hello world", "\"q");
  }

  @Test
  void trailingBackslashIsKept() throws UsageException {
    assertThat(Tokenizer.tokenize("a\\")).containsExactly("a\\");
  }

  @Test
  void unicodeIsKept() throws UsageException {
    assertThat(Tokenizer.tokenize("put user_1 \"Zoë 😀\""))
        .containsExactly("put", "user_1", "Zoë 😀");
  }

  @Test
  void unterminatedQuotesAreUsageErrors() {
    assertThatThrownBy(() -> Tokenizer.tokenize("put user_1 \"Alice"))
        .isInstanceOf(UsageException.class)
        .hasMessage("unterminated \" quote at column 12");
    assertThatThrownBy(() -> Tokenizer.tokenize("put user_1 'Alice"))
        .isInstanceOf(UsageException.class)
        .hasMessage("unterminated ' quote at column 12");
    assertThatThrownBy(() -> Tokenizer.tokenize("\"ends in escaped quote\\\""))
        .isInstanceOf(UsageException.class);
  }
}
