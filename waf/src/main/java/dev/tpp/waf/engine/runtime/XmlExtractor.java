package dev.tpp.waf.engine.runtime;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.XMLConstants;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.Attributes;
import org.xml.sax.helpers.DefaultHandler;

/**
 * XML body processor for the basic XPath forms CRS uses: {@code XML:/*} (all text) and {@code XML://@*} (all
 * attribute values). External entities and DTDs are refused, so a body can never make us read a file or the network.
 */
final class XmlExtractor {
  private XmlExtractor() {}

  static void parse(String body, BodyData out) {
    try {
      SAXParserFactory f = SAXParserFactory.newInstance();
      f.setNamespaceAware(false);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature("http://xml.org/sax/features/external-general-entities", false);
      f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      SAXParser parser = f.newSAXParser();
      StringBuilder text = new StringBuilder();
      parser.parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.ISO_8859_1)), new DefaultHandler() {
        @Override
        public void startElement(String uri, String local, String qName, Attributes atts) {
          for (int i = 0; i < atts.getLength(); i++) {
            out.xmlAttributes.add(atts.getValue(i));
          }
        }

        @Override
        public void characters(char[] ch, int start, int length) {
          text.append(ch, start, length);
        }
      });
      out.xmlText.add(text.toString());
    } catch (Exception e) {
      out.fail("XML parsing error: " + e.getMessage());
    }
  }
}
