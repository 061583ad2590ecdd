"""The audit browser's words (操作日志): each action's label and the labels of the codes and
fields an entry's detail holds, in English for Qt's translator (context "Office"). Kept
apart from models/audit, which every office process writes to and which therefore imports
none of them; this module reads the processes' own code tables."""
from __future__ import annotations

from models import cashier, documents, estate, money, owners, settings, users, validation
from models.errors import PERMISSION_LABELS, QT_TRANSLATE_NOOP

# Actions, with their labels.
ACTIONS = {
    "login": QT_TRANSLATE_NOOP("Office", "Signed in"),
    "login.failed": QT_TRANSLATE_NOOP("Office", "Sign-in refused"),
    "permission.refused": QT_TRANSLATE_NOOP("Office", "Action refused: no permission"),
    "login.locked": QT_TRANSLATE_NOOP("Office", "User locked after wrong passwords"),
    "user.unlock": QT_TRANSLATE_NOOP("Office", "User unlocked"),
    "backup.restore": QT_TRANSLATE_NOOP("Office", "Backup restored"),
    "user.password": QT_TRANSLATE_NOOP("Office", "Own password changed"),
    "user.create": QT_TRANSLATE_NOOP("Office", "User added"),
    "user.update": QT_TRANSLATE_NOOP("Office", "User changed"),
    "settings.update": QT_TRANSLATE_NOOP("Office", "Settings changed"),
    "estate.update": QT_TRANSLATE_NOOP("Office", "Estate profile changed"),
    "building.create": QT_TRANSLATE_NOOP("Office", "Building added"),
    "building.update": QT_TRANSLATE_NOOP("Office", "Building changed"),
    "unit.create": QT_TRANSLATE_NOOP("Office", "Unit added"),
    "house.create": QT_TRANSLATE_NOOP("Office", "House added"),
    "house.update": QT_TRANSLATE_NOOP("Office", "House changed"),
    "house.view": QT_TRANSLATE_NOOP("Office", "House archive opened"),
    "owner.create": QT_TRANSLATE_NOOP("Office", "Owner added"),
    "owner.update": QT_TRANSLATE_NOOP("Office", "Owner changed"),
    "owner.view": QT_TRANSLATE_NOOP("Office", "Owner archive opened"),
    "owner.reveal": QT_TRANSLATE_NOOP("Office", "ID number or phone revealed"),
    "ownership.add": QT_TRANSLATE_NOOP("Office", "Owner linked to house"),
    "ownership.end": QT_TRANSLATE_NOOP("Office", "Ownership ended"),
    "resident.create": QT_TRANSLATE_NOOP("Office", "Resident added"),
    "resident.update": QT_TRANSLATE_NOOP("Office", "Resident changed"),
    "resident.move_out": QT_TRANSLATE_NOOP("Office", "Resident moved out"),
    "resident.reveal": QT_TRANSLATE_NOOP("Office", "Resident phone revealed"),
    "document.update": QT_TRANSLATE_NOOP("Office", "Archive document changed"),
    "demo.create": QT_TRANSLATE_NOOP("Office", "Demo estate created"),
    "notice.create": QT_TRANSLATE_NOOP("Office", "Announcement made"),
    "archive.print": QT_TRANSLATE_NOOP("Office", "Archive cards printed or saved"),
    "export": QT_TRANSLATE_NOOP("Office", "Exported to a workbook"),
    "approval.failed": QT_TRANSLATE_NOOP("Office", "Supervisor approval refused"),
    "fee.update": QT_TRANSLATE_NOOP("Office", "Fee item changed"),
    "fee.subscribe": QT_TRANSLATE_NOOP("Office", "Fee added to a house"),
    "fee.unsubscribe": QT_TRANSLATE_NOOP("Office", "Fee ended for a house"),
    "billing.run": QT_TRANSLATE_NOOP("Office", "Monthly billing posted"),
    "charge.post": QT_TRANSLATE_NOOP("Office", "Charge posted"),
    "receipt.issue": QT_TRANSLATE_NOOP("Office", "Payment taken"),
    "receipt.void": QT_TRANSLATE_NOOP("Office", "Receipt voided"),
    "receipt.reprint": QT_TRANSLATE_NOOP("Office", "Receipt reprinted"),
    "receipt.refund": QT_TRANSLATE_NOOP("Office", "Refund paid"),
    "receipt.numbering": QT_TRANSLATE_NOOP("Office", "Receipt numbering set"),
    "receipt.spoiled": QT_TRANSLATE_NOOP("Office", "Receipt form spoiled"),
    "latefee.waive": QT_TRANSLATE_NOOP("Office", "Late fee waived"),
    "day.close": QT_TRANSLATE_NOOP("Office", "Day closed"),
    "day.reopen": QT_TRANSLATE_NOOP("Office", "Day reopened"),
    "meter.read": QT_TRANSLATE_NOOP("Office", "Meter readings entered"),
    "meter.set": QT_TRANSLATE_NOOP("Office", "Meter details set"),
    "share.set": QT_TRANSLATE_NOOP("Office", "Shared total entered"),
    "receipt.invoice": QT_TRANSLATE_NOOP("Office", "Invoice number recorded"),
    "dunning.notice": QT_TRANSLATE_NOOP("Office", "Payment notices printed"),
    "dunning.call": QT_TRANSLATE_NOOP("Office", "Dunning call logged"),
    "dunning.letter": QT_TRANSLATE_NOOP("Office", "Dunning notices printed"),
    "parcel.receive": QT_TRANSLATE_NOOP("Office", "Parcel taken in"),
    "parcel.refuse": QT_TRANSLATE_NOOP("Office", "Parcel refused"),
    "parcel.pickup": QT_TRANSLATE_NOOP("Office", "Parcel picked up"),
    "parcel.call": QT_TRANSLATE_NOOP("Office", "Parcel owners reminded"),
    "key.add": QT_TRANSLATE_NOOP("Office", "Key added to the register"),
    "key.lend": QT_TRANSLATE_NOOP("Office", "Key lent"),
    "key.returned": QT_TRANSLATE_NOOP("Office", "Key returned"),
    "key.lost": QT_TRANSLATE_NOOP("Office", "Key lost"),
    "key.handed_back": QT_TRANSLATE_NOOP("Office", "Key handed back to its owner"),
    "key.check": QT_TRANSLATE_NOOP("Office", "Key cabinet counted"),
    "item.add": QT_TRANSLATE_NOOP("Office", "Item added to the lending list"),
    "item.lend": QT_TRANSLATE_NOOP("Office", "Item lent"),
    "item.returned": QT_TRANSLATE_NOOP("Office", "Lent item returned"),
    "item.lost": QT_TRANSLATE_NOOP("Office", "Lent item lost"),
    "handbook.contact": QT_TRANSLATE_NOOP("Office", "Contacts directory changed"),
    "handbook.price": QT_TRANSLATE_NOOP("Office", "Price list changed"),
    "repair.report": QT_TRANSLATE_NOOP("Office", "Repair reported"),
    "repair.dispatch": QT_TRANSLATE_NOOP("Office", "Repair dispatched"),
    "repair.complete": QT_TRANSLATE_NOOP("Office", "Repair completed"),
    "repair.visit": QT_TRANSLATE_NOOP("Office", "Repair return visit"),
    "repair.cancel": QT_TRANSLATE_NOOP("Office", "Repair cancelled"),
    "repair.technician": QT_TRANSLATE_NOOP("Office", "Technician list changed"),
    "complaint.record": QT_TRANSLATE_NOOP("Office", "Complaint recorded"),
    "complaint.classify": QT_TRANSLATE_NOOP("Office", "Complaint classified"),
    "complaint.answered": QT_TRANSLATE_NOOP("Office", "Complaint answered"),
    "complaint.handled": QT_TRANSLATE_NOOP("Office", "Complaint handled"),
    "complaint.followed_up": QT_TRANSLATE_NOOP("Office", "Complaint followed up"),
    "complaint.escalate": QT_TRANSLATE_NOOP("Office", "Complaint reported up"),
    "complaint.close": QT_TRANSLATE_NOOP("Office", "Complaint closed"),
    "visit.plan": QT_TRANSLATE_NOOP("Office", "Visit plan made"),
    "visit.record": QT_TRANSLATE_NOOP("Office", "Owner visited"),
    "visit.followed_up": QT_TRANSLATE_NOOP("Office", "Visit followed up"),
    "survey.set": QT_TRANSLATE_NOOP("Office", "Survey questions set"),
    "survey.answer": QT_TRANSLATE_NOOP("Office", "Survey answers entered"),
}


# Field names that appear in entries' details, for the browser (context "Office").
FIELD_LABELS = {
    "name": QT_TRANSLATE_NOOP("Office", "Name"), "gender": QT_TRANSLATE_NOOP("Office", "Gender"), "id_type": QT_TRANSLATE_NOOP("Office", "ID document"),
    "id_number": QT_TRANSLATE_NOOP("Office", "ID number"), "phone": QT_TRANSLATE_NOOP("Office", "Phone"), "phone2": QT_TRANSLATE_NOOP("Office", "Second phone"),
    "occupation": QT_TRANSLATE_NOOP("Office", "Occupation"), "employer": QT_TRANSLATE_NOOP("Office", "Employer"),
    "work_address": QT_TRANSLATE_NOOP("Office", "Work address"), "education": QT_TRANSLATE_NOOP("Office", "Education"),
    "hometown": QT_TRANSLATE_NOOP("Office", "Hometown"), "note": QT_TRANSLATE_NOOP("Office", "Note"), "state": QT_TRANSLATE_NOOP("Office", "State"),
    "use": QT_TRANSLATE_NOOP("Office", "Use"), "right_type": QT_TRANSLATE_NOOP("Office", "Property right"), "area": QT_TRANSLATE_NOOP("Office", "Area"),
    "number": QT_TRANSLATE_NOOP("Office", "House number"), "floor": QT_TRANSLATE_NOOP("Office", "Floor"),
    "special_needs": QT_TRANSLATE_NOOP("Office", "Special needs"), "household_notes": QT_TRANSLATE_NOOP("Office", "Household notes"),
    "handover_date": QT_TRANSLATE_NOOP("Office", "Handover date"), "roles": QT_TRANSLATE_NOOP("Office", "Roles"), "active": QT_TRANSLATE_NOOP("Office", "Active"),
    "full_name": QT_TRANSLATE_NOOP("Office", "Full name"), "password": QT_TRANSLATE_NOOP("Office", "Password"), "item": QT_TRANSLATE_NOOP("Office", "Paper"),
    "received": QT_TRANSLATE_NOOP("Office", "Received"), "scan": QT_TRANSLATE_NOOP("Office", "Scan"),
    "house": QT_TRANSLATE_NOOP("Office", "House"), "kind": QT_TRANSLATE_NOOP("Office", "Kind"), "on": QT_TRANSLATE_NOOP("Office", "Date"),
    "until": QT_TRANSLATE_NOOP("Office", "Until"), "owner_id": QT_TRANSLATE_NOOP("Office", "Owner"), "field": QT_TRANSLATE_NOOP("Office", "Field"),
    "relation": QT_TRANSLATE_NOOP("Office", "Relation"), "age": QT_TRANSLATE_NOOP("Office", "Age"), "category": QT_TRANSLATE_NOOP("Office", "Category"),
    "buildings": QT_TRANSLATE_NOOP("Office", "Buildings"), "units": QT_TRANSLATE_NOOP("Office", "Units"),
    "houses": QT_TRANSLATE_NOOP("Office", "Houses"), "owners": QT_TRANSLATE_NOOP("Office", "Owners"),
    "residents": QT_TRANSLATE_NOOP("Office", "Residents"), "documents": QT_TRANSLATE_NOOP("Office", "Papers"),
    "was_received": QT_TRANSLATE_NOOP("Office", "Was received"),
    "how": QT_TRANSLATE_NOOP("Office", "How"),
    "quantity": QT_TRANSLATE_NOOP("Office", "Quantity"), "starts": QT_TRANSLATE_NOOP("Office", "From"),
    "ends": QT_TRANSLATE_NOOP("Office", "Until"), "charges": QT_TRANSLATE_NOOP("Office", "Charges"),
    "total": QT_TRANSLATE_NOOP("Office", "Total"), "amount": QT_TRANSLATE_NOOP("Office", "Amount"),
    "method": QT_TRANSLATE_NOOP("Office", "Payment method"), "approved_by": QT_TRANSLATE_NOOP("Office", "Approved by"),
    "reprints": QT_TRANSLATE_NOOP("Office", "Reprints"), "next_number": QT_TRANSLATE_NOOP("Office", "Next number"),
    "unit_price": QT_TRANSLATE_NOOP("Office", "Unit price"), "rounding": QT_TRANSLATE_NOOP("Office", "Rounding"),
    "tiers": QT_TRANSLATE_NOOP("Office", "Tiers"), "tier_period": QT_TRANSLATE_NOOP("Office", "Tier period"),
    "unit": QT_TRANSLATE_NOOP("Office", "Unit"),
    "keys": QT_TRANSLATE_NOOP("Office", "Keys"), "short": QT_TRANSLATE_NOOP("Office", "Short"),
    "extra": QT_TRANSLATE_NOOP("Office", "Extra"), "differences": QT_TRANSLATE_NOOP("Office", "Differences"),
    "urgency": QT_TRANSLATE_NOOP("Office", "Urgency"), "appointment": QT_TRANSLATE_NOOP("Office", "Appointment"),
    "verdict": QT_TRANSLATE_NOOP("Office", "Owner's verdict"), "ok": QT_TRANSLATE_NOOP("Office", "All well"),
    "reason": QT_TRANSLATE_NOOP("Office", "Reason"), "trade": QT_TRANSLATE_NOOP("Office", "Trade"),
    "class": QT_TRANSLATE_NOOP("Office", "Class"), "valid": QT_TRANSLATE_NOOP("Office", "Within the contract"),
    "to": QT_TRANSLATE_NOOP("Office", "Reported to"), "result": QT_TRANSLATE_NOOP("Office", "Result"),
    "channel": QT_TRANSLATE_NOOP("Office", "Channel"),
    "problem": QT_TRANSLATE_NOOP("Office", "Problem"), "answers": QT_TRANSLATE_NOOP("Office", "Answers"),
    "questions": QT_TRANSLATE_NOOP("Office", "Questions"),
    "permission": QT_TRANSLATE_NOOP("Office", "Permission"), "action": QT_TRANSLATE_NOOP("Office", "Action"),
    "rows": QT_TRANSLATE_NOOP("Office", "Rows"), "file": QT_TRANSLATE_NOOP("Office", "File"),
    "filter": QT_TRANSLATE_NOOP("Office", "Filter"), "period": QT_TRANSLATE_NOOP("Office", "Month"),
}


def label_of_code(value: str) -> str | None:
    """The English label of a code stored in a detail (a house state, a paper …), or None."""
    for table in (estate.STATES, estate.USES, estate.RIGHT_TYPES, owners.RESIDENT_KINDS,
                  owners.RESIDENT_CATEGORIES, owners.GENDERS, owners.HAND_OUT, cashier.METHODS, money.ROUNDING, validation.ID_TYPES, users.ROLES):
        if value in table and value:
            return table[value]
    if value in documents.ITEMS:
        return documents.ITEMS[value][1]
    if value in settings.SETTINGS:
        return settings.SETTINGS[value].label
    if value in FIELD_LABELS:
        return FIELD_LABELS[value]
    if value in PERMISSION_LABELS:
        return PERMISSION_LABELS[value]
    return None
