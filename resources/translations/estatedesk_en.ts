<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>BillingPage</name>
    <message numerus="yes">
        <source>{item}: {read} read, %n house(s) not read</source>
        <translation>
            <numerusform>{item}: {read} read, %n house not read</numerusform>
            <numerusform>{item}: {read} read, %n houses not read</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Prepaid balances paid for %n house(s), {total} in all.</source>
        <translation>
            <numerusform>Prepaid balances paid for %n house, {total} in all.</numerusform>
            <numerusform>Prepaid balances paid for %n houses, {total} in all.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DeskPage</name>
    <message numerus="yes">
        <source>%n key(s) overdue: {names}</source>
        <translation>
            <numerusform>%n key overdue: {names}</numerusform>
            <numerusform>%n keys overdue: {names}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n lent item(s) overdue: {names}</source>
        <translation>
            <numerusform>%n lent item overdue: {names}</numerusform>
            <numerusform>%n lent items overdue: {names}</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FeesPage</name>
    <message numerus="yes">
        <source>%n house(s) now pay {name}.</source>
        <translation>
            <numerusform>%n house now pays {name}.</numerusform>
            <numerusform>%n houses now pay {name}.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FloorPlan</name>
    <message numerus="yes">
        <source>{house} {owners}: %n month(s), {owed} owed</source>
        <translation>
            <numerusform>{house} {owners}: %n month, {owed} owed</numerusform>
            <numerusform>{house} {owners}: %n months, {owed} owed</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HandbookTab</name>
    <message numerus="yes">
        <source>%n contact(s)</source>
        <translation>
            <numerusform>%n contact</numerusform>
            <numerusform>%n contacts</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HouseDetail</name>
    <message numerus="yes">
        <source>%n paper(s) missing</source>
        <translation>
            <numerusform>%n paper missing</numerusform>
            <numerusform>%n papers missing</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n event(s), the newest first; Enter or a double click opens one.</source>
        <translation>
            <numerusform>%n event, the newest first; Enter or a double click opens it.</numerusform>
            <numerusform>%n events, the newest first; Enter or a double click opens one.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message numerus="yes">
        <source>{rows} rows read, %n problem(s): nothing has been written. Correct the workbook (or the matched columns) and check again.</source>
        <translation>
            <numerusform>{rows} rows read, %n problem: nothing has been written. Correct the workbook (or the matched columns) and check again.</numerusform>
            <numerusform>{rows} rows read, %n problems: nothing has been written. Correct the workbook (or the matched columns) and check again.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ImportReportDialog</name>
    <message numerus="yes">
        <source>%n reading(s) ready to import, with no problems.</source>
        <translation>
            <numerusform>%n reading ready to import, with no problems.</numerusform>
            <numerusform>%n readings ready to import, with no problems.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>KeyCheckDialog</name>
    <message numerus="yes">
        <source>%n key(s) in the register</source>
        <translation>
            <numerusform>%n key in the register</numerusform>
            <numerusform>%n keys in the register</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MetersPage</name>
    <message numerus="yes">
        <source>%n reading(s) not saved. Save them first?</source>
        <translation>
            <numerusform>%n reading not saved. Save them first?</numerusform>
            <numerusform>%n readings not saved. Save them first?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Nothing was saved: %n reading(s) need correcting (red).</source>
        <translation>
            <numerusform>Nothing was saved: %n reading needs correcting (red).</numerusform>
            <numerusform>Nothing was saved: %n readings need correcting (red).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saved %n reading(s).</source>
        <translation>
            <numerusform>Saved %n reading.</numerusform>
            <numerusform>Saved %n readings.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MissingPapersDialog</name>
    <message numerus="yes">
        <source>%n house(s) lack papers</source>
        <translation>
            <numerusform>%n house lacks papers</numerusform>
            <numerusform>%n houses lack papers</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ParcelsTab</name>
    <message numerus="yes">
        <source>%n parcel(s)</source>
        <translation>
            <numerusform>%n parcel</numerusform>
            <numerusform>%n parcels</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RenovationTab</name>
    <message numerus="yes">
        <source>%n worker(s): {names}</source>
        <translation>
            <numerusform>%n worker: {names}</numerusform>
            <numerusform>%n workers: {names}</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RestoreDialog</name>
    <message numerus="yes">
        <source>%n scanned document(s)</source>
        <translation>
            <numerusform>%n scanned document</numerusform>
            <numerusform>%n scanned documents</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Everything entered after it (%n day(s)) will be gone from the restored data.</source>
        <translation>
            <numerusform>Everything entered after it (%n day) will be gone from the restored data.</numerusform>
            <numerusform>Everything entered after it (%n days) will be gone from the restored data.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SurveyTab</name>
    <message numerus="yes">
        <source>%n house(s) answered.</source>
        <translation>
            <numerusform>%n house answered.</numerusform>
            <numerusform>%n houses answered.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TakeOverDialog</name>
    <message numerus="yes">
        <source>%n open item(s):</source>
        <translation>
            <numerusform>%n open item:</numerusform>
            <numerusform>%n open items:</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TodayPage</name>
    <message numerus="yes">
        <source>%n thing(s) today, {late} overdue.</source>
        <translation>
            <numerusform>%n thing today, {late} overdue.</numerusform>
            <numerusform>%n things today, {late} overdue.</numerusform>
        </translation>
    </message>
</context>
</TS>
