package dev.tpp.waf.engine.runtime;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.XMLConstants;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.Attributes;
import org.xml.sax.helpers.DefaultHandler;

/**
 * XML body processor for the basic XPath forms CRS uses: {@code XML:/*} (all text) and {@code
 * XML://@*} (all attribute values). External entities and DTDs are refused, so a body can never
 * make us read a file or the network.
 */
final class XmlExtractor {
  private XmlExtractor() {}

  /**
   * Fills XML:/* (the text of all elements, one value) and XML://@* (each attribute value) as UTF-8
   * bytes, one char per byte like every other request variable. On a parse error, what was read up
   * to it stays, as libxml2's partial document does in ModSecurity, and REQBODY_ERROR is set: text
   * after a stray {@code &} or a control character is not inspected, but what came before it still
   * is.
   */
  static void parse(String body, BodyData out) {
    int forbidden = firstForbiddenChar(body);
    if (forbidden >= 0) {
      // Xerces drops the text it holds when it meets such a character (or the end of the input);
      // libxml2 hands it over first. An empty element in its place makes Xerces hand it over too,
      // as before any element (it adds no text and no attribute); the body is an error either way.
      extract(body.substring(0, forbidden) + "<tpp-cut/>", out);
      if (!out.error) {
        out.fail(
            String.format(
                "XML parsing error: character 0x%02x at byte %d",
                (int) body.charAt(forbidden), forbidden));
      }
      return;
    }
    extract(body, out);
  }

  /** The index of the first control character XML 1.0 forbids (C0 but TAB, LF, CR), or -1. */
  private static int firstForbiddenChar(String body) {
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
        return i;
      }
    }
    return -1;
  }

  private static void extract(String body, BodyData out) {
    StringBuilder text = new StringBuilder();
    boolean[] rootSeen = new boolean[1];
    try {
      SAXParserFactory f = SAXParserFactory.newInstance();
      f.setNamespaceAware(false);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature("http://xml.org/sax/features/external-general-entities", false);
      f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      SAXParser parser = f.newSAXParser();
      parser.parse(
          new ByteArrayInputStream(body.getBytes(StandardCharsets.ISO_8859_1)),
          new DefaultHandler() {
            @Override
            public void startElement(String uri, String local, String qName, Attributes atts) {
              rootSeen[0] = true;
              for (int i = 0; i < atts.getLength(); i++) {
                out.xmlAttributes.add(utf8(atts.getValue(i)));
              }
            }

            @Override
            public void characters(char[] ch, int start, int length) {
              text.append(ch, start, length);
            }
          });
      out.xmlText.add(utf8(text.toString()));
    } catch (Exception e) {
      if (rootSeen[0]) {
        out.xmlText.add(utf8(text.toString()));
      }
      out.fail("XML parsing error: " + e.getMessage());
    }
  }

  private static String utf8(String text) {
    return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
  }
}
