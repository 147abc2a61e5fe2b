/**
 * When jobs run: {@link dev.cairn.schedule.Schedule} parses five-field cron expressions, the {@code @hourly}
 * family and {@code @every DURATION}, and computes the next run after any instant in a given time zone, without a
 * clock of its own.
 */
package dev.cairn.schedule;
