// Word lists for fake values, written for Doppel: common given names and surnames, and invented
// street, city and company names composed from everyday words. No external data set.

const words = (s: string) => s.trim().split(/\s+/);

export const FIRST_NAMES = words(`
  Aaron Abigail Adam Adrian Aisha Alan Albert Alex Alexandra Alice Alicia Amanda Amber Amelia Amir Amy Ana
  Andrea Andrew Angela Anna Anthony Antonio Ariana Arthur Ashley Aubrey Audrey Ava Barbara Beatrice Ben
  Benjamin Bernard Beth Bianca Brandon Brenda Brian Bruno Caleb Camila Carl Carla Carlos Carmen Caroline
  Catherine Cecilia Charles Charlotte Chloe Chris Christina Claire Clara Colin Connor Daniel Daniela David
  Deborah Denise Diana Diego Dominic Donna Dorothy Dylan Edith Edward Elena Elias Elijah Elizabeth Ella Ellen
  Emily Emma Eric Erin Ethan Eva Evelyn Fatima Felix Fiona Frances Francis Frank Gabriel Gabriela George
  Gloria Grace Gregory Hannah Harold Harper Harry Hazel Helen Henry Hugo Ian Ingrid Irene Isaac Isabel Ivan
  Jack Jacob James Jane Janet Jasmine Jason Javier Jennifer Jeremy Jessica Joan Joel John Jonathan Jordan
  Jose Joseph Joshua Joyce Julia Julian Justin Karen Katherine Keith Kenneth Kevin Laura Lauren Leah Leo
  Leon Liam Lily Linda Lisa Logan Lucas Lucy Luis Luke Lydia Maria Marcus Margaret Mark Marta Martin Mary
  Mason Matthew Maya Megan Melissa Mia Michael Michelle Miguel Mila Miriam Mohammed Monica Nadia Nancy
  Naomi Natalie Nathan Nicholas Nicole Nina Noah Nora Oliver Olivia Omar Oscar Owen Pablo Pamela Patricia
  Patrick Paul Paula Peter Philip Priya Rachel Rafael Rebecca Richard Rita Robert Rosa Ruby Ruth Ryan
  Samuel Sandra Sara Sarah Scott Sean Sebastian Sofia Sophie Stephen Steven Susan Tara Teresa Thomas
  Timothy Tobias Tyler Valerie Vanessa Victor Victoria Vincent Walter William Xavier Yara Yusuf Zoe
`);

export const LAST_NAMES = words(`
  Abbott Acosta Adams Alvarez Anderson Andrews Armstrong Arnold Bailey Baker Baldwin Banks Barker Barnes
  Bauer Bell Bennett Berg Bishop Black Blake Boyd Bradley Brennan Brooks Brown Bryant Burke Burns Butler
  Campbell Carlson Carpenter Carr Carter Castillo Chapman Chen Clark Cole Coleman Collins Cooper Cruz
  Cunningham Curtis Daniels Davidson Davis Dawson Diaz Dixon Douglas Duncan Dunn Edwards Elliott Ellis
  Evans Farmer Ferguson Fernandez Fischer Fisher Fleming Flores Ford Foster Fox Francis Freeman Fuller
  Garcia Gardner Gibson Gilbert Gomez Gonzalez Gordon Graham Grant Gray Green Griffin Gupta Hall Hamilton
  Hansen Harper Harris Hart Hayes Henderson Hernandez Hill Hoffman Holland Holmes Hopkins Howard Hudson
  Hughes Hunt Jackson James Jensen Johnson Jones Jordan Kaur Keller Kelly Kennedy Khan Kim King Klein
  Knight Koch Kowalski Lambert Lane Larsen Lawrence Lee Lewis Lopez Lynch Marshall Martin Martinez Mason
  Matthews Meyer Miller Mills Mitchell Moore Morales Moreno Morgan Morris Murphy Murray Nash Nelson Newman
  Nguyen Nielsen Novak Olsen Ortiz Owens Palmer Park Parker Patel Payne Pearson Perez Perry Peters
  Peterson Phillips Pierce Porter Powell Price Quinn Ramirez Ramos Reed Reyes Reynolds Rice Richards
  Richardson Rivera Roberts Robinson Rodriguez Rogers Romero Ross Russell Ryan Sanchez Sanders Schmidt
  Schneider Scott Shaw Silva Simmons Singh Smith Snyder Spencer Stewart Stone Sullivan Taylor Thomas
  Thompson Torres Tucker Turner Vasquez Wagner Walker Wallace Walsh Ward Warren Watson Weber Wells West
  Wheeler White Williams Wilson Wood Wright Young Zimmerman
`);

const PLACE_WORDS = words(`
  Acorn Alder Amber Ash Aspen Bay Beacon Bear Birch Bluff Bramble Brook Cedar Chestnut Clay Clover Copper
  Coral Crane Creek Crest Crow Cypress Daisy Dale Deer Dove Eagle Elm Ember Fair Falcon Fern Finch Fox
  Garnet Glen Golden Granite Hawk Hazel Heather Heron Hickory Hill Holly Iron Ivy Juniper Lake Larch
  Laurel Lilac Linden Lynx Maple Marsh Meadow Mill Mint Moss North Oak Orchard Osprey Otter Pebble Pine
  Plum Poplar Quail Raven Reed Ridge River Robin Rose Rowan Sage Salt Sand Silver Spring Spruce Stone
  Sunny Swan Thistle Timber Valley Violet Walnut Willow Wolf Wren
`);
const STREET_SUFFIXES = words(`Street Avenue Road Lane Drive Way Court Place Terrace Boulevard Close Row`);
const CITY_SUFFIXES = words(`ford field ton bury wood dale port ville haven brook stead mouth ridge view vale`);
const COMPANY_WORDS = words(`
  Analytics Anchor Apex Atlas Beacon Bright Cascade Circuit Cobalt Compass Crescent Crystal Delta Ember
  Evergreen Falcon Fusion Granite Harbor Horizon Keystone Lantern Lumen Meridian Momentum Nimbus North
  Nova Orbit Pioneer Pinnacle Prism Quantum Radiant Redwood Sable Sapphire Sierra Signal Silverline
  Solstice Sparrow Summit Tandem Terra Timber Trident Vertex Vista Willow Zenith
`);
const COMPANY_KINDS = words(`Labs Systems Works Partners Group Foods Logistics Studio Health Software Supply Energy Media Consulting`);
const COMPANY_FORMS = words(`Inc. Ltd. LLC GmbH Co.`);
/** Reserved for documentation (RFC 2606): fake emails and URLs never reach a real mailbox or site. */
export const EXAMPLE_DOMAINS = ["example.com", "example.net", "example.org"] as const;
const URL_PATHS = words(`account profile orders docs help blog news about team products posts files`);

export const VOCABULARY = {
  FIRST_NAMES,
  LAST_NAMES,
  PLACE_WORDS,
  STREET_SUFFIXES,
  CITY_SUFFIXES,
  COMPANY_WORDS,
  COMPANY_KINDS,
  COMPANY_FORMS,
  URL_PATHS,
};
