package dev.cairn.store;

/** What a store knows of one stored object without reading it: its name and size in bytes. */
public record ObjectInfo(ObjectName name, long size) {
}
