import { describe, expect, it } from "vitest";
import { confidenceWords, findingWords } from "./finding-words";

describe("findingWords", () => {
  it("says what the column looks like and how many samples showed it", () => {
    expect(findingWords({ category: "email", matches: 200, sampled: 200 })).toBe("looks like email addresses, 200 of 200 samples");
    expect(findingWords({ category: "birth_date", matches: 0, sampled: 0 })).toBe("looks like birth dates, by its name");
    expect(confidenceWords(0.95)).toBe("very likely");
    expect(confidenceWords(0.3)).toBe("possibly");
  });
});
