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
   * after a stray {@code &} is not inspected, but what came before it still is.
   */
  static void parse(String body, BodyData out) {
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
