// Real city + postal code pairs (central, public codes of well-known cities), grouped by the
// shape of the code, so a fake postal code keeps its country's format and the row's fake city
// agrees with it. A postal code of a city centre is not personal data. Codes whose shape is in
// no group keep today's shape-preserving random digits and letters (lib/redaction/rules/fake.ts).

export type Place = { city: string; code: string };

const list = (s: string): Place[] => s.trim().split("\n").map((line) => {
  const [city, code] = line.split("|").map((x) => x.trim());
  return { city, code };
});

/** 5 digits: United States, Germany, France, Spain, Italy. */
const FIVE_DIGITS = list(`
  New York|10001
  Chicago|60601
  San Francisco|94103
  Austin|78701
  Seattle|98101
  Boston|02108
  Denver|80202
  Miami|33130
  Atlanta|30303
  Portland|97204
  Berlin|10115
  Hamburg|20095
  München|80331
  Köln|50667
  Frankfurt am Main|60311
  Paris|75001
  Lyon|69001
  Marseille|13001
  Madrid|28013
  Barcelona|08002
  Roma|00184
  Milano|20121
`);

/** ZIP+4 (United States): the ZIP of a city, four derived digits. */
const US_ZIP = FIVE_DIGITS.slice(0, 10);

/** 4 digits: Australia, Switzerland, Austria, Belgium, Denmark, Norway. */
const FOUR_DIGITS = list(`
  Sydney|2000
  Melbourne|3000
  Brisbane|4000
  Zürich|8001
  Genève|1204
  Wien|1010
  Graz|8010
  Bruxelles|1000
  Antwerpen|2000
  København|1050
  Oslo|0150
`);

/** United Kingdom (outward code, space, inward code). */
const UK = list(`
  London|SW1A 1AA
  London|EC1A 1BB
  Manchester|M1 1AE
  Birmingham|B1 1AA
  Leeds|LS1 4AP
  Glasgow|G1 1XQ
  Edinburgh|EH1 1YZ
  Bristol|BS1 4DJ
  Liverpool|L1 8JQ
  Cardiff|CF10 1EP
`);

/** Canada (A9A 9A9). */
const CANADA = list(`
  Toronto|M5V 2T6
  Vancouver|V6B 1A1
  Montréal|H2Y 1C6
  Calgary|T2P 1J9
  Ottawa|K1P 1J1
  Edmonton|T5J 0N3
  Winnipeg|R3C 4T3
  Halifax|B3J 3A5
`);

/** Netherlands (9999 AA). */
const NETHERLANDS = list(`
  Amsterdam|1012 AB
  Rotterdam|3011 AD
  Utrecht|3511 AX
  Den Haag|2511 CV
  Eindhoven|5611 AZ
  Groningen|9711 LM
`);

/** Japan (999-9999). */
const JAPAN = list(`
  Tokyo|100-0001
  Osaka|530-0001
  Kyoto|600-8001
  Yokohama|220-0011
  Sapporo|060-0001
  Fukuoka|810-0001
`);

export type PlaceGroup = { places: Place[]; /** Digits appended after "-" (ZIP+4). */ extraDigits?: number };

/** The places whose codes look like `code` (its country's format), or null. */
export function placesLike(code: string): PlaceGroup | null {
  const c = code.trim().toUpperCase();
  if (/^\d{5}$/.test(c)) return { places: FIVE_DIGITS };
  if (/^\d{5}-\d{4}$/.test(c)) return { places: US_ZIP, extraDigits: 4 };
  if (/^\d{4}$/.test(c)) return { places: FOUR_DIGITS };
  if (/^[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}$/.test(c)) return { places: UK };
  if (/^[A-Z]\d[A-Z] \d[A-Z]\d$/.test(c)) return { places: CANADA };
  if (/^\d{4} [A-Z]{2}$/.test(c)) return { places: NETHERLANDS };
  if (/^\d{3}-\d{4}$/.test(c)) return { places: JAPAN };
  return null;
}
