#!/usr/bin/env python3
"""Writes a JSONL of N copies of one mixed-script text (Arabic, Greek,
Japanese, Hebrew, English, emoji): a wire story carried by N outlets. Every
second copy has one word added, at a place that depends on the copy, so the
copies are near-duplicates rather than one byte-identical text, and they fall
into many LSH buckets that overlap. Deterministic.

With --distinct, the word added to each copy is its own (a number written
in Arabic-Indic digits), so no two edited copies are alike: the hardest case
for counting the pairs of oversized buckets, whose members then fall into
many different sets of buckets.

Usage: copies_data.py [--distinct] N > copies.jsonl
"""
import json
import sys

PARAGRAPHS = [
    "أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في مدينة الرياض بسعة "
    "خمسمائة سرير، وقال المتحدث الرسمي إن المشروع يأتي ضمن خطة تطوير "
    "الخدمات الصحية في المملكة خلال السنوات الخمس المقبلة.",
    "Η κυβέρνηση ανακοίνωσε σήμερα νέα μέτρα για την ενίσχυση της οικονομίας, "
    "με έμφαση στις μικρές επιχειρήσεις και στους νέους εργαζόμενους της χώρας.",
    "東京の気象庁は本日、関東地方に大雨警報を発表しました。住民の皆さんは"
    "川の近くに近づかないよう注意してください。 交通機関にも影響が出ています。",
    "משרד החינוך הודיע היום על תוכנית חדשה לשיפור הלימודים בבתי הספר "
    "היסודיים ברחבי הארץ, והתוכנית תיכנס לתוקף בשנה הבאה.",
    "Officials said the new bridge 🌉 will open next spring 🌸 after three "
    "years of work 🚧, connecting the two halves of the old city 🏙️ for the "
    "first time since the flood 🌊 of 1998.",
    "وأضاف الوزير أن الحكومة ستواصل دعم القطاع الخاص 💼 وتشجيع الاستثمار "
    "الأجنبي 🌍 في مجالات الطاقة المتجددة والتقنية والسياحة.",
]
ARABIC_INDIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
WORDS = ["عاجل", "Ενημέρωση", "速報", "עדכון", "update", "🔥"]


def main():
    args = sys.argv[1:]
    distinct = "--distinct" in args
    n = int([a for a in args if a != "--distinct"][0])
    words = " ".join(PARAGRAPHS).split(" ")
    out = sys.stdout
    for i in range(n):
        text = words
        if i % 2 == 1:
            # One word added; its place and spelling vary with the copy.
            at = (i * 7919) % (len(words) + 1)
            word = WORDS[i % len(WORDS)]
            if distinct:
                word = str(i).translate(ARABIC_INDIC_DIGITS)
            text = words[:at] + [word] + words[at:]
        record = {"id": "copy-%06d" % i, "text": " ".join(text)}
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
