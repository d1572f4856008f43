package io.tidemark.local;

/** The image is not in the {@link ImageCatalog}: the kubelet's {@code ErrImagePull}. */
final class ImageNotFoundException extends Exception {
  private final String image;

  ImageNotFoundException(String image) {
    super(
        "rpc error: code = NotFound desc = failed to pull and unpack image \""
            + image
            + "\": failed to resolve reference \""
            + image
            + "\": "
            + image
            + ": not found (the local Job executor's image catalog has no entry for it)");
    this.image = image;
  }

  String image() {
    return image;
  }

  /** The kubelet's message while it waits before the next pull. */
  String backOffMessage() {
    return "Back-off pulling image \"" + image + "\"";
  }
}
