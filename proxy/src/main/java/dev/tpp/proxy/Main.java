package dev.tpp.proxy;

/** Command line entry point: {@code --config FILE} runs the proxy, {@code --check FILE} validates a config. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.err.println("usage: tpp-proxy --config FILE | --check FILE");
    System.exit(2);
  }
}
