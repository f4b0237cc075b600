import { describe, expect, it } from "vitest";
import { bucketOf } from "../../../edge/experiences/delivery/assignment";
import { bucket } from "../../../tag/experience-runtime";

describe("experience runtime", () => {
  it("buckets a visitor exactly as the edge does, so the browser and /personalize agree", () => {
    const exp = "2d3e345b2ac24acd9d6d3d33f93516fd";
    for (let i = 0; i < 2000; i++) {
      const uid = `${i.toString(36)}-${(i * 7919).toString(16)}`;
      expect(bucket(`${exp}:${uid}`)).toBe(bucketOf(exp, uid));
    }
  });
});
