import java.io.FileInputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Properties;

/**
 * Reads a .properties file the two ways Java programs do, Properties.load(InputStream) (ISO-8859-1) and
 * Properties.load(Reader) over UTF-8, and prints each key and value as hex of its UTF-8 bytes, one tab-separated
 * pair per line, prefixed by the way it was read. Run with `java ReadProperties.java FILE` (single-file source).
 */
public class ReadProperties {
  public static void main(String[] args) throws Exception {
    Properties latin1 = new Properties();
    try (FileInputStream in = new FileInputStream(args[0])) {
      latin1.load(in);
    }
    Properties utf8 = new Properties();
    try (Reader in = new InputStreamReader(new FileInputStream(args[0]), StandardCharsets.UTF_8)) {
      utf8.load(in);
    }
    print("latin1", latin1);
    print("utf8", utf8);
  }

  private static void print(String how, Properties properties) {
    HexFormat hex = HexFormat.of();
    for (String key : properties.stringPropertyNames()) {
      String value = properties.getProperty(key);
      System.out.println(how + "\t" + hex.formatHex(key.getBytes(StandardCharsets.UTF_8)) + "\t"
          + hex.formatHex(value.getBytes(StandardCharsets.UTF_8)));
    }
  }
}
