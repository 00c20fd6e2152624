package dev.rebatch.client.soak;

/** One task of a bulk add that the client reported as not added, with the client's reason. */
public final class BulkTaskFailure extends Exception {

    private static final long serialVersionUID = 1L;

    public BulkTaskFailure(String why) {
        super(why, null, false, false);
    }
}
