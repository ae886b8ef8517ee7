package dev.quilt.chain;

/** Where a node stands, as its farmer declares it: ISO country code and city name. */
public record Location(String country, String city) {
    public static final int MAX_COUNTRY = 8;
    public static final int MAX_CITY = 64;
}
