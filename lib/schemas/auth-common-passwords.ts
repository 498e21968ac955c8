// A short list of the most common passwords (public breach-corpus top lists), refused at sign-up.
// Lower-case; compared case-insensitively. Entries shorter than the minimum length are
// already refused by the length rule but stay here so the list reads as a whole.
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  "123456", "password", "12345678", "qwerty", "123456789", "12345", "1234", "111111", "1234567", "dragon",
  "123123", "baseball", "abc123", "football", "monkey", "letmein", "696969", "shadow", "master", "666666",
  "qwertyuiop", "123321", "mustang", "1234567890", "michael", "654321", "superman", "1qaz2wsx", "7777777", "121212",
  "000000", "qazwsx", "123qwe", "killer", "trustno1", "jordan", "jennifer", "zxcvbnm", "asdfgh", "hunter",
  "buster", "soccer", "harley", "batman", "andrew", "tigger", "sunshine", "iloveyou", "2000", "charlie",
  "robert", "thomas", "hockey", "ranger", "daniel", "starwars", "klaster", "112233", "george", "computer",
  "michelle", "jessica", "pepper", "1111", "zxcvbn", "555555", "11111111", "131313", "freedom", "777777",
  "pass", "maggie", "159753", "aaaaaa", "ginger", "princess", "joshua", "cheese", "amanda", "summer",
  "love", "ashley", "nicole", "chelsea", "biteme", "matthew", "access", "yankees", "987654321", "dallas",
  "austin", "thunder", "taylor", "matrix", "password1", "password123", "passw0rd", "welcome", "welcome1",
  "admin", "admin123", "administrator", "changeme", "letmein123", "qwerty123", "qwertyuiop123", "1q2w3e4r",
  "1q2w3e4r5t", "zaq12wsx", "iloveyou1", "sunshine1", "princess1", "football1", "baseball1", "superman1",
  "trustno11", "0123456789", "9876543210", "1234512345", "11111111111", "aaaaaaaaaa", "abcdefghij",
  "abcd1234", "abcdef123", "password12", "password1234", "qwerty12345", "asdfghjkl", "asdfghjkl1",
  "doppeldoppel", "secret1234", "secretsecret", "letmeinnow", "welcome123", "changeme123", "monkey1234",
]);
