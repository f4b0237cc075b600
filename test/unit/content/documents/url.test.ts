import { describe, expect, it } from "vitest";
import { canonicalizeUrl, contentRule, hostMatches, urlPattern } from "../../../../edge/content/documents/url";

describe("canonicalizeUrl", () => {
  it("drops the scheme, lower-cases the host, drops the fragment and default ports", () => {
    expect(canonicalizeUrl("https://WWW.Example.COM/Blog/Post#comments")).toBe("www.example.com/Blog/Post");
    expect(canonicalizeUrl("http://example.com:80/a")).toBe("example.com/a");
    expect(canonicalizeUrl("https://example.com:443/a")).toBe("example.com/a");
    expect(canonicalizeUrl("https://example.com:8443/a")).toBe("example.com:8443/a");
  });

  it("accepts the tag's scheme-less url field and protocol-relative URLs", () => {
    expect(canonicalizeUrl("www.example.com/blog/post?b=2&a=1")).toBe("www.example.com/blog/post?a=1&b=2");
    expect(canonicalizeUrl("//example.com/x/")).toBe("example.com/x");
    expect(canonicalizeUrl("localhost:8787/demo/article-hiking.html")).toBe("localhost:8787/demo/article-hiking.html");
  });

  it("strips utm_* and configured parameters, or the whole query with *", () => {
    const url = "https://example.com/a?utm_source=news&UTM_medium=mail&ref=tw&id=7&page=2";
    expect(canonicalizeUrl(url)).toBe("example.com/a?id=7&page=2&ref=tw");
    expect(canonicalizeUrl(url, { strip_params: ["ref", "PAGE"] })).toBe("example.com/a?id=7");
    expect(canonicalizeUrl(url, { strip_params: ["*"] })).toBe("example.com/a");
  });

  it("strips a trailing slash unless told to keep it; the root stays host/", () => {
    expect(canonicalizeUrl("https://example.com/blog/")).toBe("example.com/blog");
    expect(canonicalizeUrl("https://example.com/blog/", { trailing_slash: "keep" })).toBe("example.com/blog/");
    expect(canonicalizeUrl("https://example.com")).toBe("example.com/");
    expect(canonicalizeUrl("https://example.com/")).toBe("example.com/");
  });

  it("gives one URL for the variants of one page", () => {
    const variants = [
      "https://Example.com/post/?utm_campaign=x#top",
      "http://example.com/post",
      "example.com/post/",
      "https://example.com:443/post?utm_source=y",
    ];
    expect(new Set(variants.map((v) => canonicalizeUrl(v)))).toEqual(new Set(["example.com/post"]));
  });

  it("refuses what is not an http(s) URL", () => {
    for (const bad of ["", "  ", "mailto:a@example.com", "javascript:alert(1)", "ftp://example.com/x", "https://"])
      expect(canonicalizeUrl(bad), bad).toBeNull();
    expect(canonicalizeUrl("https://user:pw@example.com/")).toBeNull();
    expect(canonicalizeUrl("https://example.com/" + "a".repeat(3000))).toBeNull();
  });
});

describe("contentRule", () => {
  it("accepts every URL with no settings", () => {
    expect(contentRule()("example.com/anything")).toBe(true);
  });

  it("limits hosts, with *.domain covering the domain and its subdomains", () => {
    const rule = contentRule({ hosts: ["*.example.com", "news.other.org"] });
    expect(rule("example.com/a")).toBe(true);
    expect(rule("blog.example.com/a")).toBe(true);
    expect(rule("example.com:8080/a")).toBe(true);
    expect(rule("news.other.org/a")).toBe(true);
    expect(rule("other.org/a")).toBe(false);
    expect(rule("badexample.com/a")).toBe(false);
    expect(hostMatches("Example.com", "example.COM")).toBe(true);
  });

  it("includes and excludes path patterns, ignoring the query", () => {
    const rule = contentRule({ paths: ["/blog/*", "/news/*"], exclude_paths: ["/blog/tag/*", "*/print"] });
    expect(rule("example.com/blog/post?x=1")).toBe(true);
    expect(rule("example.com/news/today")).toBe(true);
    expect(rule("example.com/shop/cart")).toBe(false);
    expect(rule("example.com/blog/tag/hiking")).toBe(false);
    expect(rule("example.com/blog/post/print")).toBe(false);
    expect(rule("example.com/")).toBe(false);
  });
});

describe("urlPattern", () => {
  it("matches Pathfora's scheme-less patterns case-insensitively", () => {
    const m = urlPattern("www.example.com/blog/*");
    expect(m("www.example.com/blog/Post")).toBe(true);
    expect(m("www.example.com/shop")).toBe(false);
    expect(urlPattern("https://WWW.example.com/*")("www.example.com/x")).toBe(true);
    expect(urlPattern("*")("anything")).toBe(true);
  });
});
