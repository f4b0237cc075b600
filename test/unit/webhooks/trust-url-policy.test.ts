import { describe, expect, it } from "vitest";
import { checkWebhookUrl } from "../../../edge/webhooks/delivery/url-policy";

const production = (url: string) => checkWebhookUrl(url, { development: false }).ok;

describe("Trust #13: production webhook targets refuse every IPv6 form of loopback, private and link-local", () => {
  it.each([
    "https://[::127.0.0.1]/hook", // IPv4-compatible loopback
    "https://[::ffff:0:7f00:1]/hook", // IPv4-translated (SIIT) loopback
    "https://[2002:7f00:1::]/hook", // 6to4 of 127.0.0.1
    "https://[2002:c0a8:101::1]/hook", // 6to4 of 192.168.1.1
    "https://[fec0::1]/hook", // deprecated site-local
    "https://[::10.0.0.1]/hook",
    "https://[::ffff:127.0.0.1]/hook",
    "https://[::1]/hook",
    "https://[fe80::1]/hook",
    "https://[fd00::1]/hook",
    "https://[64:ff9b::10.0.0.1]/hook",
    "https://[2001:db8::1]/hook", // documentation
  ])("refuses %s", (url) => {
    expect(production(url)).toBe(false);
  });

  it.each(["https://[2606:4700:4700::1111]/hook", "https://[2002:808:808::1]/hook", "https://hooks.example.com/in"])(
    "accepts the public %s",
    (url) => {
      expect(production(url)).toBe(true);
    },
  );
});
