package io.tidemark.local;

/**
 * What an image stands for when the local Job executor "pulls" it: there are no container images on
 * the host, so each image a Job may name is mapped, in an {@link ImageCatalog}, to something the
 * host can run.
 */
public sealed interface LocalImage permits RunnerImage, ToolsImage {}
