"""Apple Health ``export.xml`` files written for tests and the benchmark, in the shape the
Health app exports (internal DTD, ``HealthData`` root, one record per line)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!-- HealthKit Export Version: 13 -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record
  type          CDATA #REQUIRED
  unit          CDATA #IMPLIED
  value         CDATA #IMPLIED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
]>
<HealthData locale="en_CA">
 <ExportDate value="2026-03-03 07:00:00 -0500"/>
 <Me HKCharacteristicTypeIdentifierDateOfBirth="1990-01-01"/>
"""
TAIL = "</HealthData>\n"
SLEEP = "HKCategoryTypeIdentifierSleepAnalysis"


def sleep_record(value: str, start: str, end: str, source: str = "Apple Watch") -> str:
    """One sleep analysis record line (``value`` without Apple's prefix: ``AsleepCore``)."""
    return (
        f' <Record type="{SLEEP}" sourceName="{source}" sourceVersion="10.2" '
        f'creationDate="{end}" startDate="{start}" endDate="{end}" '
        f'value="HKCategoryValueSleepAnalysis{value}"/>\n'
    )


def heart_rate(at: str, bpm: int) -> str:
    """One heart-rate record with a metadata child (most of a real export is these)."""
    return (
        f' <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Apple Watch" '
        f'sourceVersion="10.2" unit="count/min" creationDate="{at}" startDate="{at}" '
        f'endDate="{at}" value="{bpm}">\n'
        f'  <MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="0"/>\n'
        f" </Record>\n"
    )


def export(lines: Iterable[str]) -> str:
    """A whole export around ``lines``."""
    return HEAD + "".join(lines) + TAIL


def write_export(out: IO[str], lines: Iterable[str]) -> None:
    """Write an export around ``lines`` without holding it in memory."""
    out.write(HEAD)
    for line in lines:
        out.write(line)
    out.write(TAIL)


def night_lines(day: str, next_day: str, offset: str = "-0500") -> list[str]:
    """A Watch night (staged, one awake spell) and an iPhone's in-bed and asleep records:
    in bed 22:50-07:00, asleep 23:10-01:00 and 01:20-06:50 by the Watch (7 h 20 min)."""
    return [
        sleep_record(
            "InBed", f"{day} 22:50:00 {offset}", f"{next_day} 07:00:00 {offset}", "iPhone"
        ),
        sleep_record("AsleepCore", f"{day} 23:10:00 {offset}", f"{next_day} 01:00:00 {offset}"),
        sleep_record("Awake", f"{next_day} 01:00:00 {offset}", f"{next_day} 01:20:00 {offset}"),
        sleep_record(
            "AsleepDeep", f"{next_day} 01:20:00 {offset}", f"{next_day} 02:20:00 {offset}"
        ),
        sleep_record("AsleepREM", f"{next_day} 02:20:00 {offset}", f"{next_day} 03:00:00 {offset}"),
        sleep_record(
            "AsleepCore", f"{next_day} 03:00:00 {offset}", f"{next_day} 06:50:00 {offset}"
        ),
        sleep_record(
            "AsleepUnspecified",
            f"{day} 23:00:00 {offset}",
            f"{next_day} 06:55:00 {offset}",
            "iPhone",
        ),
    ]
