"""Write the bundled sample dataset for St. Aldric's Hospital, a fictional hospital.

Run ``python sample_data/make_sample.py``: it writes ``patient_faq.csv`` (Question, Answer,
Category) and ``patient_chats.jsonl`` (OpenAI chat format) next to this script, with realistic
defects mixed in, and prints how many of each it injected (copied into LABELS.md). Seeded, so the
output is the same on every run; it takes well under a second.
"""

from __future__ import annotations

import csv
import itertools
import json
import random
import re
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 2024

# Hand-written FAQ: (category, question, answer). Every answer is distinct, real-sounding text.
FAQ: list[tuple[str, str, str]] = [
    # --- Appointments -----------------------------------------------------------------------
    (
        "Appointments",
        "How do I book an appointment with a specialist?",
        "Most specialist clinics need a referral from your primary care provider first. Once we receive it, the clinic's scheduling team will call you within five business days to offer a date. If you already have a referral on file, you can book directly through the MyAldric's patient portal under Appointments > Schedule.",
    ),
    (
        "Appointments",
        "Can I reschedule my appointment online?",
        "Yes. Log in to MyAldric's, open the appointment and choose Reschedule. You can move most visits up to 24 hours before the start time. Procedures, imaging with contrast and surgery pre-assessments have to be changed by phone because they involve preparation instructions.",
    ),
    (
        "Appointments",
        "What should I do if I'm running late for my appointment?",
        "Please call the clinic as soon as you know. Most clinics can still see you if you are less than 15 minutes late, but if you arrive later the team may need to offer you a new time so that other patients are not kept waiting.",
    ),
    (
        "Appointments",
        "Do you charge for missed appointments?",
        "We do not charge a fee for a first missed appointment. After two missed visits without notice in a 12-month period, a clinic may ask you to book by phone only, and some specialty clinics may discharge you back to your referring provider. Cancelling at least 24 hours ahead avoids this.",
    ),
    (
        "Appointments",
        "How early should I arrive for my first visit?",
        "Plan to arrive 20 minutes before a new-patient appointment so we can check your ID and insurance and complete a short health questionnaire. You can save time by completing eCheck-in in MyAldric's up to three days before your visit.",
    ),
    (
        "Appointments",
        "Can I get a reminder for my appointment by text?",
        "Text reminders are sent automatically three days and one day before your visit to the mobile number on your record. Reply C to confirm or R to ask us to call you about rescheduling. You can change your reminder preferences under Profile > Communication in MyAldric's.",
    ),
    (
        "Appointments",
        "Are telehealth appointments available?",
        "Many follow-up visits can be done by video, including medication reviews, results discussions and some mental health sessions. Your clinic will tell you if your visit is suitable. You will need a phone, tablet or computer with a camera and the MyAldric's app or a recent web browser.",
    ),
    (
        "Appointments",
        "How do I prepare for a video visit?",
        "Find a quiet, private room with good lighting and a reliable internet connection. About 15 minutes before the start, open the visit in MyAldric's and select Begin Video Visit to test your camera and microphone. Have your medication list and any home readings, such as blood pressure, nearby.",
    ),
    (
        "Appointments",
        "Can I bring someone with me to my appointment?",
        "You are welcome to bring a family member, friend or carer to your appointment. Some treatment areas, such as infusion bays, have limited space, so the team may ask your companion to wait in the lounge during part of the visit.",
    ),
    (
        "Appointments",
        "What do I need to bring to my appointment?",
        "Please bring:\n- A photo ID\n- Your insurance card\n- A list of your current medications and doses\n- Any referral letter or imaging discs from other providers\n- Glasses or hearing aids if you use them",
    ),
    (
        "Appointments",
        "How do I cancel an appointment?",
        "You can cancel in MyAldric's under Appointments, by replying to your text reminder, or by calling the number on your appointment letter. Please give at least 24 hours' notice so the slot can be offered to someone on the waiting list.",
    ),
    (
        "Appointments",
        "Is there a waiting list for earlier appointments?",
        "Yes. Ask the scheduling team to add you to the cancellation list when you book. If an earlier slot opens up, we will text you and hold it for two hours while you decide. Cancellation offers are sent in order of clinical priority and then by the date you were added.",
    ),
    # --- Billing ----------------------------------------------------------------------------
    (
        "Billing",
        "How can I pay my hospital bill?",
        "You can pay online through MyAldric's or our guest pay page with the account number from your statement, by phone with our billing office, by mail using the return slip, or in person at the cashier's desk in the Main Building lobby (weekdays 8 am to 4:30 pm).",
    ),
    (
        "Billing",
        "Why did I receive two separate bills for one visit?",
        "Hospital services and physician services are often billed separately. The hospital bill covers the facility, equipment, supplies and nursing care, while a second bill comes from the doctors who treated you or read your tests, such as radiologists, pathologists or anesthesiologists.",
    ),
    (
        "Billing",
        "Can I set up a payment plan?",
        "Yes. Balances over $200 can be spread over up to 24 months with no interest and no fees. Set it up in MyAldric's under Billing > Payment Plans or ask our billing office to do it for you. Payments are taken automatically on the date you choose.",
    ),
    (
        "Billing",
        "What is financial assistance and who qualifies?",
        "Aldric's Care Assist reduces or removes hospital charges for patients who are uninsured or underinsured. Households earning up to 250% of the federal poverty level may receive free care, and discounts apply up to 400%. The application asks for proof of income and takes about 20 minutes to complete.",
    ),
    (
        "Billing",
        "How do I apply for financial assistance?",
        "Download the Care Assist application from our website, pick one up at any registration desk, or ask a financial counselor to mail it to you. Return it with recent pay stubs or a tax return. We usually make a decision within 30 days and pause collection activity on your account while we review it.",
    ),
    (
        "Billing",
        "I think there is an error on my bill. What should I do?",
        "Request an itemized statement so you can see every charge and billing code. If something still looks wrong, contact our billing office with your account number and the line you are questioning. We will review it with the clinical department and put the account on hold until the review is finished.",
    ),
    (
        "Billing",
        "Can I get an estimate before my procedure?",
        "Yes. Our price estimate tool on the website gives a personalized estimate for common services based on your insurance. For anything not listed, a financial counselor can prepare a written good-faith estimate, usually within three business days of your request.",
    ),
    (
        "Billing",
        "Why is my bill higher than my estimate?",
        "Estimates are based on the care that was planned. If additional tests, medications or a longer stay were needed, or if your insurer applied a different deductible amount than expected, the final bill can differ. Our billing team can walk you through each difference line by line.",
    ),
    (
        "Billing",
        "Do you offer a discount for paying in full?",
        "Self-pay patients who settle their balance in full within 30 days of the first statement receive a 15% prompt-pay discount. The discount does not apply to co-pays or balances after insurance, which are set by your plan.",
    ),
    (
        "Billing",
        "What happens if I can't pay my bill?",
        "Please talk to us before the balance becomes overdue. We can set up a payment plan, check whether you qualify for Care Assist, or help you apply for Medicaid. We never deny emergency care because of an unpaid balance, and we do not send accounts to collections while an assistance application is open.",
    ),
    (
        "Billing",
        "How long does it take for my insurance to be billed?",
        "We submit claims to your insurer within five business days of your visit. Most insurers process them in 30 to 45 days, and you will only receive a statement from us after your insurer has decided what it will pay.",
    ),
    # --- Insurance --------------------------------------------------------------------------
    (
        "Insurance",
        "Which insurance plans do you accept?",
        "St. Aldric's is in network with most major commercial plans, Medicare, Medicare Advantage plans from several carriers and the state Medicaid program. Networks change every year, so please confirm with your insurer using our facility name before a planned visit. Our current list is on the website under Billing & Insurance.",
    ),
    (
        "Insurance",
        "Do I need prior authorization for my surgery?",
        "Many planned surgeries, advanced imaging studies and some infusion drugs need prior authorization. The ordering clinic submits the request for you. You will receive a call if your insurer asks for more information, and we will not schedule the procedure until approval is confirmed.",
    ),
    (
        "Insurance",
        "What should I do if my insurance changes?",
        "Update your coverage in MyAldric's under Profile > Insurance, or bring your new card to your next visit. If you have an appointment within the next two weeks, please also call the clinic, because some plans need a new referral or authorization before you are seen.",
    ),
    (
        "Insurance",
        "Is my visit covered if the doctor is out of network?",
        "Under federal surprise billing protections, you should not receive an out-of-network bill for emergency care or for certain services at an in-network facility, such as anesthesia or radiology. If you receive one, contact our billing office and we will review it with you.",
    ),
    (
        "Insurance",
        "Can you help me apply for Medicaid?",
        "Yes. Our financial counselors can screen you for Medicaid and other programs and help you complete the application. They are available in person in the Main Building lobby on weekdays, and they can also meet patients at the bedside during an inpatient stay.",
    ),
    (
        "Insurance",
        "What is the difference between a co-pay and co-insurance?",
        "A co-pay is a fixed amount you pay for a service, such as $30 for a specialist visit. Co-insurance is a percentage of the allowed charge, such as 20%, that you pay after meeting your deductible. Your insurance card or benefits summary lists both amounts.",
    ),
    # --- Prescriptions ----------------------------------------------------------------------
    (
        "Prescriptions",
        "How do I request a prescription refill?",
        "Request refills through MyAldric's under Medications > Request Refill, or ask your pharmacy to send a refill request to your provider. Please allow three business days for the clinic to respond, and request controlled medications at least five business days before you run out.",
    ),
    (
        "Prescriptions",
        "Can the outpatient pharmacy fill prescriptions from other doctors?",
        "Yes. The St. Aldric's Outpatient Pharmacy in the Harmon Pavilion lobby fills prescriptions from any licensed prescriber and accepts most insurance plans. It is open Monday to Friday 8 am to 7 pm and Saturday 9 am to 1 pm.",
    ),
    (
        "Prescriptions",
        "Can I get my medications before I leave the hospital?",
        "Our Meds to Beds service delivers your discharge prescriptions to your room before you go home. Ask your nurse to sign you up early on the day of discharge. A pharmacist will go over each medication with you and check your insurance coverage.",
    ),
    (
        "Prescriptions",
        "What should I do with medicines I no longer need?",
        "Please do not flush them. You can drop unused or expired medicines in the secure take-back kiosk near the Outpatient Pharmacy, which accepts pills, patches and liquids. Sharps and inhalers need separate disposal; ask the pharmacy team for a container.",
    ),
    (
        "Prescriptions",
        "Can I transfer my prescriptions to the hospital pharmacy?",
        "Yes. Give the Outpatient Pharmacy the name and phone number of your current pharmacy and the medications you want moved, and we will arrange the transfer. Most transfers are complete the same day, although controlled medications may need a new prescription from your provider.",
    ),
    (
        "Prescriptions",
        "Why was my refill request denied?",
        "Your provider may need to see you before renewing a medication, especially if it requires blood monitoring or you have not had a visit in the last year. The clinic will message you with next steps. If you are about to run out, call the clinic so they can arrange a short bridging supply where it is safe to do so.",
    ),
    (
        "Prescriptions",
        "Do you offer home delivery of prescriptions?",
        "The Outpatient Pharmacy mails maintenance medications to addresses in the state at no extra cost. Orders placed before 2 pm on a weekday usually arrive within two business days. Refrigerated medications are shipped in insulated packaging with overnight delivery.",
    ),
    # --- Visiting ---------------------------------------------------------------------------
    (
        "Visiting",
        "What are the general visiting hours?",
        "General inpatient units welcome visitors from 8 am to 8 pm every day. Two visitors may be at the bedside at a time, and visitors under 14 must be with an adult. Some units, such as intensive care and the Women's & Children's Centre, have their own arrangements.",
    ),
    (
        "Visiting",
        "Can I stay overnight with a patient?",
        "One adult support person may stay overnight in most private rooms, with the nurse manager's agreement. Parents and guardians can always stay with children on the pediatric unit, and a partner or support person can stay on the maternity unit throughout the birth and recovery.",
    ),
    (
        "Visiting",
        "What are the visiting rules for the intensive care unit?",
        "ICU visiting runs from 11 am to 8 pm, with a quiet period from 2 pm to 3 pm so patients can rest. Two visitors are allowed at the bedside at a time. Please use the phone at the ICU entrance to let staff know you have arrived, and clean your hands before entering the room.",
    ),
    (
        "Visiting",
        "Can children visit patients?",
        "Children are welcome on most units when they are with an adult who is not the patient. Please keep visits short and bring something quiet for them to do. Children who have a cold, fever, rash or stomach bug should stay home, as should any visitor who is unwell.",
    ),
    (
        "Visiting",
        "Can I bring flowers for a patient?",
        "Fresh flowers and plants are welcome on most general units, but they are not allowed in intensive care, the cancer unit or on the transplant floor because of infection risk. Balloons must be foil rather than latex, as some patients and staff have latex allergies.",
    ),
    (
        "Visiting",
        "Are pets allowed to visit?",
        "Personal pet visits can sometimes be arranged for patients staying a long time or receiving end-of-life care. The nurse manager must approve the visit in advance, and the animal needs proof of vaccinations. Trained service animals are always welcome.",
    ),
    (
        "Visiting",
        "How can I send a message to a patient?",
        "Use the e-card form on our website. Volunteers print the cards and deliver them to the patient's room every weekday afternoon. Please include the patient's full name; we cannot confirm whether someone is in the hospital unless they have agreed to be listed in the directory.",
    ),
    (
        "Visiting",
        "Can I bring food for a patient?",
        "Please check with the nurse first, as many patients are on special diets or are fasting before a test. If the care team agrees, label the food with the patient's name and the date. Food can be stored in the family kitchen on each unit for up to 24 hours.",
    ),
    # --- Lab Results ------------------------------------------------------------------------
    (
        "Lab Results",
        "When will I get my lab results?",
        "Most routine blood test results are released to MyAldric's within 24 to 48 hours. Some results are held for three days so your provider can review them first, and specialized tests sent to outside laboratories can take one to two weeks. Your care team will contact you about anything that needs action.",
    ),
    (
        "Lab Results",
        "Do I need an appointment for a blood test?",
        "Walk-ins are welcome at the Outpatient Lab on the ground floor of the Harmon Pavilion (Monday to Friday 6:30 am to 6 pm, Saturday 7 am to noon). Booking a time slot in MyAldric's usually means a shorter wait, especially early in the morning when fasting patients arrive.",
    ),
    (
        "Lab Results",
        "Why can I see my results before my doctor has called me?",
        "Federal rules require us to release most results to you without delay, so you may see them before your provider has had a chance to review them. If a result worries you, send a message to your care team; a normal range printed next to a value is only a guide and does not fit every patient.",
    ),
    (
        "Lab Results",
        "What does it mean if a result is flagged as abnormal?",
        "A flag means the value falls outside the laboratory's reference range. Many flagged results are not a concern, for example a value that is slightly high after a meal. Your provider will look at the result alongside your history and other tests, and will contact you if any follow-up is needed.",
    ),
    (
        "Lab Results",
        "Can my results be sent to another doctor?",
        "Yes. If your other provider uses a connected electronic record, they may already see your results. Otherwise, sign a release form in MyAldric's or at the Health Information Management office and we will fax or send the results securely.",
    ),
    (
        "Lab Results",
        "How do I collect a urine sample at home?",
        "Use the sterile container provided by the clinic. Wash your hands, start urinating into the toilet, then collect the middle part of the stream in the cup without touching the inside. Close the lid tightly, label it with your name and date of birth, and bring it to the lab within two hours or refrigerate it for up to 24 hours.",
    ),
    # --- Parking & Directions ---------------------------------------------------------------
    (
        "Parking & Directions",
        "Where should I park for the main hospital?",
        "Visitor Garage A is on Harbour Road, directly opposite the Main Building entrance, and is connected by a covered skybridge on level 2. The first 30 minutes are free, then $2 per hour up to a $12 daily maximum. Accessible spaces are on every level next to the elevators.",
    ),
    (
        "Parking & Directions",
        "Is there valet parking?",
        "Valet parking is available at the Main Building entrance on weekdays from 7 am to 6 pm for $8, which includes all-day parking. Valet is free for patients with disabled parking placards and for patients attending daily radiation or dialysis treatment.",
    ),
    (
        "Parking & Directions",
        "Do you offer discounted parking for frequent visitors?",
        "Yes. A weekly pass costing $25 gives unlimited entries to Garages A and B for seven days, and is ideal for family members visiting a long-stay patient. Buy it at the cashier's desk in the Main Building lobby or at the Garage A pay station.",
    ),
    (
        "Parking & Directions",
        "Can I get to the hospital by public transport?",
        "Bus routes 12 and 40 stop on Harbour Road outside the Main Building, and route 7 stops at the Fenwick Street entrance near the Emergency Department. The Harbourside light rail station is a ten-minute walk away, and a free hospital shuttle runs from the station every 20 minutes on weekdays.",
    ),
    (
        "Parking & Directions",
        "Where do I park for the Harmon Pavilion?",
        "Use Garage B, which has its own entrance on Linden Avenue and connects to the Harmon Pavilion lobby on the ground floor. Outpatients can validate their parking ticket at any clinic reception desk for two free hours.",
    ),
    (
        "Parking & Directions",
        "Is there a drop-off point at the main entrance?",
        "Yes. The circular drive outside the Main Building has a 15-minute drop-off zone, and volunteers with wheelchairs are on hand from 7 am to 7 pm. Drivers can then park in Garage A, which is a short walk across the skybridge.",
    ),
    (
        "Parking & Directions",
        "Are there electric vehicle chargers?",
        "Garage A has 16 Level 2 charging stations on level 1, available on a first-come basis. Charging costs the standard per-kilowatt-hour rate shown on the charger, in addition to normal parking fees. Please move your vehicle once it has finished charging.",
    ),
    (
        "Parking & Directions",
        "How do I find my way around the hospital?",
        "Colored floor lines lead from the Main Building lobby to the most visited areas: blue for outpatient clinics, green for imaging and yellow for the Women's & Children's Centre. Information desks in each lobby can print a map, and the MyAldric's app includes step-by-step indoor directions.",
    ),
    # --- Patient Portal ---------------------------------------------------------------------
    (
        "Patient Portal",
        "How do I sign up for MyAldric's?",
        "Ask for an activation code at your next visit or find it on your after-visit summary, then go to the MyAldric's website or app and choose Sign Up. If you don't have a code, you can verify your identity online with your personal details and a one-time code sent to your phone.",
    ),
    (
        "Patient Portal",
        "I forgot my MyAldric's password. What should I do?",
        "Select Forgot Password on the sign-in page and follow the steps to reset it by text or email. If your account is locked after several failed attempts, wait 30 minutes and try again, or call the MyAldric's help line, which is open every day from 7 am to 9 pm.",
    ),
    (
        "Patient Portal",
        "Can I access my child's portal account?",
        "Parents and legal guardians can request proxy access to the record of a child under 12 by completing the proxy form in MyAldric's. For children aged 12 to 17, proxy access is more limited to protect the teenager's privacy, and some information, such as confidential visits, will not be shown.",
    ),
    (
        "Patient Portal",
        "Can I message my doctor through the portal?",
        "Yes, use Messages > Ask a Question for non-urgent questions about your care, prescriptions or test results. Clinics aim to reply within two business days. Please do not use messaging for urgent problems; call 911 or go to the Emergency Department instead.",
    ),
    (
        "Patient Portal",
        "How do I give my spouse access to my account?",
        "Open MyAldric's, go to Sharing > Friends and Family Access, and enter your spouse's name and email address. They will receive an invitation to create their own login, and you can choose whether they can only view your record or also message your care team and book appointments for you.",
    ),
    (
        "Patient Portal",
        "Can I pay bills in the portal?",
        "Yes. Billing > Account Summary shows every open balance, and you can pay by card or bank transfer, set up a payment plan, or sign up for paperless statements. Payments usually appear on your account the next business day.",
    ),
    (
        "Patient Portal",
        "Why can't I see some of my notes in the portal?",
        "Most visit notes are shared automatically once your provider signs them, which can take a few days. A small number of notes are held back when sharing them could cause harm or when they relate to another person. If you think something is missing, send a message to the Health Information Management team.",
    ),
    # --- Maternity --------------------------------------------------------------------------
    (
        "Maternity",
        "When should I come to the hospital if I think I'm in labor?",
        "Come in when contractions are regular, about five minutes apart and lasting a minute, for at least an hour, or sooner if your waters break, you have bleeding, or your baby is moving less than usual. Call the Labor & Delivery triage line first so the team is ready for you.",
    ),
    (
        "Maternity",
        "Can I tour the maternity unit before my due date?",
        "Yes. Free tours of the Whitlock Birth Center run on the first and third Saturday of each month at 10 am, and a virtual tour is on our website. Booking is required because groups are kept small, and one support person can come with you.",
    ),
    (
        "Maternity",
        "How many support people can be with me during labor?",
        "Two support people may be with you during labor and birth, and one can stay overnight in your postpartum room. A certified doula is welcome in addition to your two support people if you let your care team know in advance.",
    ),
    (
        "Maternity",
        "Do you offer childbirth and breastfeeding classes?",
        "We run childbirth preparation, newborn care and breastfeeding classes in person at the Whitlock Centre and online in the evenings. Most classes cost $40 per couple, and fees are waived for families covered by Medicaid. Register on the Classes & Events page of our website.",
    ),
    (
        "Maternity",
        "What should I pack in my hospital bag?",
        "Most families find these useful:\n- Photo ID, insurance card and your birth plan\n- Comfortable clothes and a nursing bra\n- Toiletries, lip balm and a phone charger with a long cable\n- An outfit and a properly installed car seat for the baby",
    ),
    (
        "Maternity",
        "How long will I stay in the hospital after giving birth?",
        "Most people stay about 48 hours after a vaginal birth and three to four days after a cesarean birth. Your stay may be shorter or longer depending on how you and your baby are doing. Before you leave, a nurse will check the car seat and go over feeding and safe sleep with you.",
    ),
    (
        "Maternity",
        "Is there a neonatal intensive care unit?",
        "Yes. Our Level III NICU cares for babies born from 28 weeks and for newborns who need extra support after birth. Parents can visit at any time, and we have four family rooms where parents can stay overnight when their baby is very unwell.",
    ),
    (
        "Maternity",
        "How do I get a birth certificate for my baby?",
        "Before you leave, our birth registrar will help you complete the birth certificate worksheet. We send the information to the state registry, and you can order certified copies from the county vital records office about three weeks later. The registrar can also help you apply for your baby's Social Security number.",
    ),
    # --- Emergency & Urgent Care ------------------------------------------------------------
    (
        "Emergency & Urgent Care",
        "Should I go to the emergency department or urgent care?",
        "Go to the Emergency Department or call 911 for chest pain, trouble breathing, signs of stroke, severe bleeding, a serious injury or sudden confusion. Urgent care is right for problems that need attention today but are not life-threatening, such as sprains, minor cuts, ear infections or a urinary infection.",
    ),
    (
        "Emergency & Urgent Care",
        "Where is the emergency department?",
        "The Emergency Department is at the south end of the campus, with its own entrance on Fenwick Street. It is open 24 hours a day, every day. Short-term parking for emergency patients is directly in front of the entrance, and the ambulance bay is to the left.",
    ),
    (
        "Emergency & Urgent Care",
        "What are the hours of the urgent care center?",
        "St. Aldric's Urgent Care at 410 Elm Street is open every day from 8 am to 10 pm, including holidays. No appointment is needed, and you can check current wait times and save your place in line online before you leave home.",
    ),
    (
        "Emergency & Urgent Care",
        "Why are some patients seen before me in the emergency department?",
        "Patients are seen in order of medical need, not arrival time. A triage nurse checks everyone on arrival and patients with the most serious conditions, such as heart attacks or major injuries, are treated first. Please tell staff right away if your symptoms change while you wait.",
    ),
    (
        "Emergency & Urgent Care",
        "Can urgent care treat children?",
        "Yes, our urgent care center treats children from six months old. Babies under six months with a fever of 100.4°F (38°C) or higher should be seen in the Emergency Department, which has a dedicated pediatric area.",
    ),
    (
        "Emergency & Urgent Care",
        "Do I need to bring anything to the emergency department?",
        "If you can, bring a list of your medications, your ID and insurance card, and a phone charger. Don't delay coming in to gather these things. If someone else is bringing you in, ask them to bring your medication bottles.",
    ),
    # --- Medical Records --------------------------------------------------------------------
    (
        "Medical Records",
        "How do I request a copy of my medical records?",
        "Complete the Authorization to Release Information form in MyAldric's or at the Health Information Management office on level 2 of the Main Building. Electronic copies sent to your portal or email are free. Paper copies cost $0.25 per page up to a maximum of $25. Most requests are completed within 10 business days.",
    ),
    (
        "Medical Records",
        "Can I get copies of my X-rays or scans?",
        "Imaging reports are available in MyAldric's. For the images themselves, request a CD or a secure download link from the Radiology Film Library on the ground floor of the Main Building. CDs are ready within two business days and are free when sent directly to another provider.",
    ),
    (
        "Medical Records",
        "How long do you keep medical records?",
        "Adult records are kept for at least ten years after the last visit. Records for patients treated as children are kept until at least ten years after the patient's 18th birthday. Some records, such as those about births and certain cancer treatments, are kept permanently.",
    ),
    (
        "Medical Records",
        "How can I correct something in my medical record?",
        "Submit a written amendment request to Health Information Management explaining what you believe is wrong and why. We will respond within 60 days. If your provider agrees, the record is updated; if not, you can add a statement of disagreement that stays with your record.",
    ),
    (
        "Medical Records",
        "Can I get my records for a family member who has died?",
        "The personal representative of the estate, such as the executor, can request the records. Please include a copy of the death certificate and documents showing your authority, such as letters testamentary. Health Information Management can advise on what is needed in your situation.",
    ),
    # --- Discharge --------------------------------------------------------------------------
    (
        "Discharge",
        "What time will I be discharged?",
        "We aim to discharge patients before 11 am. Your care team will usually confirm the plan the day before, so please arrange for someone to collect you in the morning. If your ride can't come until later, you may wait in our Discharge Lounge, which has seating, drinks and a nurse on duty.",
    ),
    (
        "Discharge",
        "Who will explain my medications when I go home?",
        "Your nurse will review each new or changed medication with you before you leave, and a pharmacist can meet with you if you have questions. You will also receive a printed medication list. Take it to your next appointment and throw away any old lists to avoid confusion.",
    ),
    (
        "Discharge",
        "Can I get help at home after I leave the hospital?",
        "If you need nursing, therapy or equipment at home, your case manager will arrange it before discharge and check which services your insurance covers. They can also connect you with Meals on Wheels, transport programs and caregiver support groups in your area.",
    ),
    (
        "Discharge",
        "What should I do if I have questions after I get home?",
        "Call the number on your discharge papers, which goes to the unit or clinic that cared for you. A nurse may also phone you within two days to see how you are doing. For severe symptoms such as chest pain or difficulty breathing, call 911.",
    ),
    # --- Support Services -------------------------------------------------------------------
    (
        "Support Services",
        "Do you provide interpreters?",
        "Yes. Free medical interpreters are available in more than 200 languages, in person, by video or by phone, at any hour. American Sign Language interpreters can be booked for appointments and are on call for emergencies. Please tell us your preferred language when you book.",
    ),
    (
        "Support Services",
        "Is there a chapel or spiritual care service?",
        "The interfaith chapel on level 1 of the Main Building is open at all times for quiet reflection. Chaplains of several faiths visit patients and families on request, day or night, and can help arrange visits from your own faith leader. Ask any nurse to contact Spiritual Care.",
    ),
    (
        "Support Services",
        "Can I talk to a social worker?",
        "Social workers help with practical and emotional challenges, such as coping with a new diagnosis, arranging care at home, finding housing support or planning for long-term care. Ask your nurse or doctor to make a referral, or call the Social Work office on weekdays.",
    ),
    (
        "Support Services",
        "Do you have a patient advocate?",
        "Our Patient Relations team helps with concerns about your care, communication problems or complaints. They listen, investigate and help resolve issues while you are still in the hospital whenever possible. You can reach them through the feedback form on our website or by asking your nurse.",
    ),
    (
        "Support Services",
        "Is there a place for families to stay near the hospital?",
        "The Harbour House family residence, two blocks from the hospital, offers low-cost rooms for families of patients who live more than 50 miles away. Rooms are booked through our social work team, and several nearby hotels offer a St. Aldric's discount rate.",
    ),
    (
        "Support Services",
        "Do you offer support groups?",
        "We host free support groups for cancer survivors, new parents, people living with diabetes, stroke survivors and their caregivers, and families who have lost a loved one. Most meet monthly in person or online. See the Classes & Events calendar for dates.",
    ),
    (
        "Support Services",
        "Can someone help me fill out an advance directive?",
        "Yes. Our social workers and chaplains can explain advance directives and help you complete a health care proxy or living will at no cost. You do not need a lawyer. Bring copies to your appointments so they can be added to your medical record.",
    ),
    # --- Accessibility ----------------------------------------------------------------------
    (
        "Accessibility",
        "Are wheelchairs available?",
        "Wheelchairs are available at every main entrance and at the information desks. Volunteers can push you to your appointment between 7 am and 7 pm on weekdays. If you need a wheelchair at a different time, ask the security officer at the entrance.",
    ),
    (
        "Accessibility",
        "What help is available for patients with hearing loss?",
        "We offer American Sign Language interpreters, captioned video visits, pocket amplifiers and hearing loops at the main information desks. Let us know your communication needs when you book so we can have the right support ready for your visit.",
    ),
    (
        "Accessibility",
        "Can I get information in large print or Braille?",
        "Yes. Appointment letters, discharge instructions and patient education leaflets can be provided in large print, Braille or audio format. Ask the clinic when you book, or update your communication preferences in MyAldric's so we send the right format every time.",
    ),
    (
        "Accessibility",
        "Is there support for patients with autism or learning disabilities?",
        "Our Access Team can arrange a quieter waiting area, the first appointment of the day, or a pre-visit tour so the environment feels familiar. You can also share a hospital passport describing how best to communicate and what helps you feel calm.",
    ),
    # --- Food & Amenities -------------------------------------------------------------------
    (
        "Food & Amenities",
        "Where can I get something to eat?",
        "The Harbour Café on level 1 of the Main Building serves hot meals, salads and sandwiches from 7 am to 7 pm. The Harmon Pavilion lobby has a coffee kiosk open on weekdays, and vending machines with fresh food are available 24 hours a day near the Emergency Department.",
    ),
    (
        "Food & Amenities",
        "How do patients order meals?",
        "Inpatients order meals from a menu by calling the room service line from their bedside phone between 6:30 am and 7 pm. The menu shows which choices fit your prescribed diet. Meals arrive within 45 minutes, and family members can order a guest tray for $9.",
    ),
    (
        "Food & Amenities",
        "Is there Wi-Fi in the hospital?",
        "Yes. Connect to the free network called StAldrics-Guest and accept the terms on the welcome page. No password is needed. Streaming video works in most areas, but please use headphones out of courtesy to other patients.",
    ),
    (
        "Food & Amenities",
        "Is there a gift shop?",
        "The Auxiliary Gift Shop is in the Main Building lobby and is open weekdays from 9 am to 7 pm and weekends from 11 am to 5 pm. It sells flowers, snacks, toiletries, phone chargers and gifts, and volunteers can deliver purchases to patient rooms. Profits fund patient comfort programs.",
    ),
    (
        "Food & Amenities",
        "Is there an ATM on site?",
        "There are ATMs in the Main Building lobby next to the gift shop and in the Emergency Department waiting area. The cafeteria, gift shop, pharmacy and parking pay stations all accept cards and mobile payments.",
    ),
    # --- Privacy ----------------------------------------------------------------------------
    (
        "Privacy",
        "Who can see my medical information?",
        "Only the people involved in your care, and staff who need it for billing or quality purposes, can access your record, and every access is logged. We do not share your information with employers or family members without your permission, except where the law requires it.",
    ),
    (
        "Privacy",
        "Can my family get updates about my condition?",
        "With your permission, your care team can share updates with the family members or friends you name. Many patients choose one main contact who passes news on to others. If you are unable to decide, we will follow your health care proxy's wishes or the law in our state.",
    ),
    (
        "Privacy",
        "Can I ask to be left out of the hospital directory?",
        "Yes. When you are admitted, tell the registration staff that you want to opt out of the directory. We will then tell callers and visitors that we have no information about you. You can change your mind at any time during your stay.",
    ),
    (
        "Privacy",
        "How do I report a privacy concern?",
        "Contact our Privacy Office through the online form on our website or by mail to the address on our Notice of Privacy Practices. We investigate every report and will tell you what we found. You can also file a complaint with the U.S. Department of Health and Human Services.",
    ),
]


FAQ += [
    # --- Surgery ----------------------------------------------------------------------------
    (
        "Surgery",
        "When should I stop eating before surgery?",
        "Unless your surgeon tells you otherwise, stop eating solid food eight hours before your arrival time. You may drink clear fluids, such as water, apple juice or black coffee without milk, until two hours before arrival. The pre-assessment nurse will confirm your exact times the day before.",
    ),
    (
        "Surgery",
        "Will someone call me before my surgery?",
        "A nurse from the Pre-Admission Testing unit will call you one business day before your surgery, between 1 pm and 5 pm, to confirm your arrival time and go over instructions for eating, drinking and your regular medications. If you have not heard from us by 5 pm, please call the unit.",
    ),
    (
        "Surgery",
        "Can I drive myself home after day surgery?",
        "No. If you had anesthesia or sedation, you must have a responsible adult take you home and ideally stay with you for the first night. Your procedure will be cancelled if you do not have a ride arranged, even if you feel well, because the medicines affect your reactions for 24 hours.",
    ),
    (
        "Surgery",
        "Where do family members wait during surgery?",
        "The Surgical Family Lounge is on level 3 of the Main Building. Staff at the desk will give your family a tracking number so they can follow your progress on the status screens, and the surgeon will speak with them there after the operation.",
    ),
    (
        "Surgery",
        "Should I take my usual medications before surgery?",
        "Some medications, such as blood thinners, diabetes medicines and certain supplements, need to be stopped or adjusted before surgery. Your surgeon or the pre-assessment nurse will give you a personal plan. Do not stop any medication on your own without checking first.",
    ),
    (
        "Surgery",
        "What should I wear on the day of my operation?",
        "Wear loose, comfortable clothes that are easy to put on over a bandage. Leave jewelry, including piercings, and valuables at home. Remove nail polish from at least one finger and do not wear makeup, lotion or contact lenses.",
    ),
    (
        "Surgery",
        "How do I get a work note after surgery?",
        "Ask your surgical team before discharge, or request one later through MyAldric's under Messages > Request a Letter. Letters for employers and schools are usually ready within three business days and appear in your portal documents.",
    ),
    # --- Pediatrics -------------------------------------------------------------------------
    (
        "Pediatrics",
        "Can both parents stay with a child in the hospital?",
        "Both parents or guardians are welcome at any time on the pediatric unit, and one can sleep on the fold-out bed in the child's room. Siblings may visit during the day when accompanied by an adult, as long as they are well.",
    ),
    (
        "Pediatrics",
        "How can I prepare my child for a hospital stay?",
        "Talk to your child honestly and simply about what will happen, and let them pack a favorite toy or blanket. Our child life specialists offer pre-admission tours and can use play to explain procedures. Picture books about hospital visits are available on our website.",
    ),
    (
        "Pediatrics",
        "Is there a playroom on the children's unit?",
        "The Sunny Harbor playroom on level 4 of the Whitlock Centre is open daily from 9 am to 7 pm, with toys, games, crafts and a teen lounge with video games. Child life staff run activities each afternoon, and children who cannot leave their room can borrow toys and tablets.",
    ),
    (
        "Pediatrics",
        "Can my child keep up with school while in the hospital?",
        "Yes. Our hospital teacher works with children who stay longer than a week, coordinating with their school so they don't fall behind. Ask your child's nurse to arrange a visit from the education service.",
    ),
    # --- Imaging & Tests --------------------------------------------------------------------
    (
        "Imaging & Tests",
        "Do I need an appointment for an X-ray?",
        "Plain X-rays are done on a walk-in basis at the Main Building and Harmon Pavilion imaging departments on weekdays from 7 am to 8 pm, as long as your provider has sent an order. CT, MRI, ultrasound and nuclear medicine scans must be booked in advance.",
    ),
    (
        "Imaging & Tests",
        "Can I have an MRI if I have metal in my body?",
        "Many implants are MRI-safe, but some pacemakers, older aneurysm clips and metal fragments are not. You will complete a safety form before your scan, and it helps to bring your implant card. Please tell us about any implants when you book so we can check with the manufacturer in advance.",
    ),
    (
        "Imaging & Tests",
        "How long does it take to get imaging results?",
        "A radiologist reads most scans within 24 hours and the report is sent to the provider who ordered it. The report appears in MyAldric's after three days, or sooner if your provider releases it. Your provider will discuss the results with you and plan any next steps.",
    ),
    (
        "Imaging & Tests",
        "Can I bring someone into the scan room with me?",
        "For X-rays and ultrasound, one adult can usually stay with you, although they will be asked to step out if radiation is used and they may be pregnant. In MRI and CT, companions wait outside, but the radiographer can talk to you through an intercom throughout the scan.",
    ),
    (
        "Imaging & Tests",
        "I'm claustrophobic. Can I still have an MRI?",
        "Please tell us when you book. Our Harmon Pavilion scanner has a wider, shorter opening that many anxious patients find easier, and you can listen to music during the scan. If needed, your provider can prescribe a mild sedative to take beforehand, in which case someone will need to drive you home.",
    ),
    # --- Pharmacy ---------------------------------------------------------------------------
    (
        "Pharmacy",
        "Can a pharmacist review all my medications?",
        "Yes. Our clinical pharmacists offer free medication reviews for patients who take five or more medicines. They check for interactions, duplicate treatments and side effects and then share suggestions with your provider. Ask your clinic for a referral or book directly with the Outpatient Pharmacy.",
    ),
    (
        "Pharmacy",
        "Do you have a pharmacy open 24 hours?",
        "The Outpatient Pharmacy is not open overnight. After hours, prescriptions from the Emergency Department can be filled at the 24-hour retail pharmacy on Harbour Road, three blocks from the hospital, and the ED can provide a starter supply of essential medicines if needed.",
    ),
    (
        "Pharmacy",
        "Can I get my flu shot at the pharmacy?",
        "Walk-in flu vaccines are available at the Outpatient Pharmacy from September through March during normal opening hours, and most insurance plans cover them at no cost to you. Children aged 3 and older can be vaccinated at the pharmacy; younger children should see their pediatrician.",
    ),
    # --- Clinics (general) ------------------------------------------------------------------
    (
        "Clinics",
        "How do I find a primary care doctor who is accepting new patients?",
        "Use the Find a Doctor search on our website and tick Accepting New Patients, or ask our physician referral line to help you choose based on location, language and gender preference. New patient appointments are usually available within three weeks.",
    ),
    (
        "Clinics",
        "Can I switch to a different doctor?",
        "Yes, you can ask to change providers within the same practice or transfer to another St. Aldric's practice at any time. Let the front desk or our physician referral line know, and your records will move with you automatically.",
    ),
    (
        "Clinics",
        "Do your clinics offer evening or weekend appointments?",
        "Several primary care practices hold evening clinics until 7 pm on Tuesdays and Thursdays and open on Saturday mornings for acute visits. Physical therapy and imaging also offer early morning and Saturday appointments. Ask the scheduling team for the nearest option.",
    ),
    # --- Infection Control ------------------------------------------------------------------
    (
        "Infection Control",
        "Do I have to wear a mask in the hospital?",
        "Masks are currently optional in most public areas. They are required in the Emergency Department waiting room, oncology and transplant units, and for anyone with cough or cold symptoms. Masks are available free at every entrance.",
    ),
    (
        "Infection Control",
        "What should I do if I'm sick on the day of my appointment?",
        "Call the clinic before you come in. Many visits can be switched to video or moved to another day. If you must attend, wear a mask, let the front desk know about your symptoms and clean your hands when you enter.",
    ),
    (
        "Infection Control",
        "Why are some patient rooms marked for isolation?",
        "A sign on the door means the patient has, or may have, an infection that can spread. Visitors may be asked to wear a gown, gloves or mask before going in. Please check with the nurse before entering, and always clean your hands when you leave the room.",
    ),
    # --- Answers that end without final punctuation (lists, attributions, links, a phone line)
    (
        "Billing",
        "Where can I find the hospital's standard charges?",
        "Our full list of standard charges and a consumer-friendly list of 300 shoppable services are published as required by federal price transparency rules. You can view and download them here: https://www.staldrics.org/billing/price-transparency",
    ),
    (
        "Appointments",
        "Who do I call to book an appointment if I don't use the portal?",
        "Our central scheduling team can book, change or cancel visits for any St. Aldric's clinic, Monday to Friday from 7 am to 7 pm and Saturday from 8 am to noon. Call 555-0100",
    ),
    (
        "Visiting",
        "Is there a visitor policy I can read before coming in?",
        "The full visitor policy, including unit-specific hours, rules for children and the latest infection control guidance, is kept up to date on our website. We recommend checking it before each visit, because arrangements on some units change during flu season.\n\n— St. Aldric's Patient Services",
    ),
    (
        "Support Services",
        "How do I give feedback or say thank you to a staff member?",
        "We love hearing about staff who made a difference. Share your story through the Thank a Caregiver form on our website, and we will pass your message to the person and their manager. Comments and complaints can be shared the same way, and every message is read by our Patient Relations team.\n\n— St. Aldric's Patient Relations",
    ),
    (
        "Maternity",
        "What do I need to do before my baby's first car journey home?",
        "Every baby must go home in a rear-facing car seat that fits the baby and is installed correctly. Before discharge, your nurse will check that your baby is buckled in safely. Free car seat checks are offered each Wednesday afternoon at the Whitlock Centre entrance. Book a check:\n- Online at https://www.staldrics.org/maternity/car-seats\n- At any prenatal class\n- At the Whitlock reception desk",
    ),
    (
        "Medical Records",
        "Where do I send a records request by mail?",
        "Mail your signed authorization form, a copy of your photo ID and any fee to the address below. Please allow ten business days from when we receive it.\n\nHealth Information Management\nSt. Aldric's Hospital\n1200 Harbour Road, Level 2\nKingsport",
    ),
    (
        "Emergency & Urgent Care",
        "Is there a nurse advice line I can call at night?",
        "Yes. Registered nurses answer the St. Aldric's Nurse Line 24 hours a day, every day, and can help you decide whether to go to the Emergency Department, visit urgent care, or care for yourself at home. The service is free for anyone in our area. Call 555-0188",
    ),
    (
        "Patient Portal",
        "Is there a MyAldric's app?",
        "Yes, the MyAldric's app is free for iPhone and Android and has the same features as the website, plus indoor directions, parking reminders and push notifications for new results and messages. Download it from your app store or scan the QR code at any registration desk. More help: https://www.staldrics.org/myaldrics/help",
    ),
    (
        "Parking & Directions",
        "What is the hospital's address for my GPS?",
        'For the Main Building and Garage A, use 1200 Harbour Road, Kingsport. For the Emergency Department, use the Fenwick Street entrance. For the Harmon Pavilion and Garage B, use:\n- 55 Linden Avenue, Kingsport\n- Or search for "St. Aldric\'s Harmon Pavilion" in your maps app',
    ),
    (
        "Support Services",
        "How can I volunteer at St. Aldric's?",
        "Volunteers help at information desks, in the gift shop, on patient units and with our pet therapy program. Adults need to complete an application, a background check and a half-day orientation; teen volunteers aged 16 and 17 can join our summer program. Apply online at https://www.staldrics.org/volunteer",
    ),
    (
        "Lab Results",
        "Which tests need fasting beforehand?",
        "Ask the provider who ordered your test, as instructions vary. The most common tests that need an 8 to 12 hour fast are:\n- Fasting glucose\n- Lipid panel (cholesterol), when ordered as fasting\n- Some metabolic panels\n- Glucose tolerance tests",
    ),
    (
        "Discharge",
        "Can I get a copy of my discharge summary?",
        "Your discharge summary is posted to MyAldric's within two days of leaving the hospital and is sent to your primary care provider automatically. If you don't use the portal, Health Information Management can post or email you a copy. Request it at https://www.staldrics.org/records",
    ),
    (
        "Insurance",
        "Where can I find out what my plan covers at St. Aldric's?",
        "Your insurance company is the best source for your exact benefits, deductible and co-pays. Call the member services number on the back of your card and give them our facility name and tax ID from our website. Our financial counselors can also check your benefits for a planned procedure.\n\n— St. Aldric's Patient Financial Services",
    ),
]


FAQ += [
    (
        "Billing",
        "Can I use my HSA or FSA card to pay my bill?",
        "Yes. Health savings account and flexible spending account cards are accepted online, by phone and at the cashier's desk, just like any other debit card. If your card is declined, check your available balance with your plan administrator, as some plans hold funds until a claim is approved.",
    ),
    (
        "Billing",
        "How do I get a receipt for my payment?",
        "Receipts for online payments are emailed straight away and stored in MyAldric's under Billing > Payment History. If you paid by phone or in person and need a copy, the billing office can email or post one to you, usually the same day.",
    ),
    (
        "Insurance",
        "What does observation status mean for my Medicare coverage?",
        "Observation means you are an outpatient even though you may stay overnight in a hospital bed. Medicare Part B covers observation services, so your costs may differ from an inpatient stay, and the time may not count toward the three-day stay Medicare needs before it covers a skilled nursing facility. Staff must give you a written notice if you are under observation for more than 24 hours.",
    ),
    (
        "Prescriptions",
        "What is a specialty pharmacy and do I need one?",
        "Some medications, such as biologic injections and oral cancer treatments, are handled by specialty pharmacies that provide extra monitoring and support. Our in-house specialty pharmacy team manages insurance approvals, financial assistance and delivery for you, and a pharmacist calls before each refill to check how you are doing.",
    ),
    (
        "Prescriptions",
        "My insurance needs prior authorization for a medication. How long does that take?",
        "Your clinic submits the request with the supporting notes, and most insurers answer within two to five business days. We will message you when we hear back. If it is refused, your provider can appeal or suggest a covered alternative, and our pharmacy can check for manufacturer savings programs.",
    ),
    (
        "Visiting",
        "Are there quiet hours on the inpatient units?",
        "Yes. From 9 pm to 6 am the lights are dimmed, overhead announcements are paused and staff try to group checks together so patients can sleep. We ask visitors who are staying overnight to keep phone calls and TV volume low during these hours.",
    ),
    (
        "Visiting",
        "Can I charge my phone while I'm visiting?",
        "Free charging lockers with cables for most phones are located in the Main Building lobby, the Surgical Family Lounge and the Emergency Department waiting room. You set your own four-digit code, and your phone is locked safely inside while it charges.",
    ),
    (
        "Lab Results",
        "Can someone take my blood at home?",
        "Our mobile phlebotomy service visits patients at home if they are housebound or have a condition that makes travel difficult. Your provider needs to request it, and most insurance plans cover it when it is medically necessary. Visits are offered on weekday mornings.",
    ),
    (
        "Parking & Directions",
        "What happens if I lose my parking ticket?",
        "Go to the pay station and press the Help button, or visit the parking office on level 1 of Garage A. The staff will look up your plate number on the entry cameras and charge you for your actual stay rather than the lost-ticket fee.",
    ),
    (
        "Patient Portal",
        "How do I turn on two-step verification in MyAldric's?",
        "Go to Account Settings > Security and choose Two-Step Verification. You can receive codes by text, by email or through an authenticator app. We recommend turning it on, especially if you share a computer or manage someone else's account as a proxy.",
    ),
    (
        "Patient Portal",
        "How do I close my MyAldric's account?",
        "Send a message to the MyAldric's support team or call the help line and ask to deactivate your account. Your medical record is not deleted, because we are required to keep it, and you can reactivate the portal later with a new activation code.",
    ),
    (
        "Maternity",
        "Can I have an epidural at the Whitlock Birth Center?",
        "Yes. Anesthesiologists are on the Labor & Delivery unit 24 hours a day, so an epidural is available whenever you need one, unless there is a medical reason it isn't safe. Other options include nitrous oxide, a birthing pool, IV pain relief and support from your nurse with positions and breathing.",
    ),
    (
        "Maternity",
        "Will my baby stay in the room with me?",
        "Healthy babies stay with their parents around the clock, which helps with feeding and bonding. Skin-to-skin contact starts straight after birth whenever possible, including after most cesarean births. Nurses do newborn checks and the hearing screening at the bedside.",
    ),
    (
        "Emergency & Urgent Care",
        "How long is the wait in the emergency department?",
        "Waits change from hour to hour depending on how many seriously ill patients arrive. We post an estimated wait for lower-urgency patients on our website, but anyone with a life-threatening problem is seen immediately. If you feel worse while waiting, tell the triage nurse straight away.",
    ),
    (
        "Medical Records",
        "Is there a fee for completing disability or insurance forms?",
        "Clinics charge $25 to complete most disability, insurance and leave forms, and there is no charge for forms related to school, sports or vaccinations. Drop the forms off at the clinic or upload them in MyAldric's, and allow seven business days for completion.",
    ),
    (
        "Discharge",
        "Can the hospital arrange transport home?",
        "If you have no other way home, your case manager can book a taxi voucher, a wheelchair van or, when medically needed, an ambulance. Medicaid covers non-emergency transport in many cases. Please let your nurse know early on the day of discharge so there is time to arrange it.",
    ),
    (
        "Support Services",
        "Do you have a program to help me quit smoking?",
        "Our free Quit for Good program offers one-to-one coaching with a tobacco treatment specialist, nicotine replacement therapy and prescription medicines when appropriate. Sessions are in person or by phone over eight weeks. Ask any provider for a referral, or refer yourself through the program's web page.",
    ),
    (
        "Accessibility",
        "Can I bring my service dog into the hospital?",
        "Yes. Service animals that are trained to perform a task for a person with a disability are welcome in all public areas and most patient rooms. They are not permitted in operating rooms, sterile areas or some isolation rooms, and staff will talk with you about arrangements if you are admitted.",
    ),
    (
        "Food & Amenities",
        "Can I get kosher, halal or vegetarian meals?",
        "Yes. The patient menu includes vegetarian and vegan choices every day, and sealed kosher and halal meals can be ordered through the room service line. Let your nurse know about any religious or cultural food needs so they are added to your diet order.",
    ),
    (
        "Privacy",
        "Can I take photos or videos in the hospital?",
        "You may take photos of yourself and your own visitors, but please do not photograph or record other patients or staff without their permission. Recording is not allowed in operating rooms or during some procedures. Ask the care team if you would like to record a conversation about your care.",
    ),
    (
        "Clinics",
        "How do I get a second opinion from a St. Aldric's specialist?",
        "Ask your current provider to send a referral with your records, or contact the clinic directly if your insurance allows self-referral. Bring copies of your scans and test results. Many plans cover second opinions for major surgery or a new cancer diagnosis.",
    ),
    (
        "Surgery",
        "Do I need any tests before my operation?",
        "Depending on your age, health and the type of surgery, you may need blood tests, an ECG or a chest X-ray. These are usually done at a pre-admission visit one to three weeks before surgery. If you had the same tests recently elsewhere, bring the results, as they may not need repeating.",
    ),
    (
        "Pediatrics",
        "Can my child get routine vaccines at the hospital?",
        "Routine childhood vaccines are given by your child's primary care practice, including our St. Aldric's pediatric practices. If your child is in the hospital and due a vaccine, the team can give it before discharge with your consent, and it will be recorded in the state immunization registry.",
    ),
    (
        "Imaging & Tests",
        "Is it safe to have an X-ray if I might be pregnant?",
        "Tell the radiographer before any X-ray or CT scan if there is any chance you could be pregnant. Most X-rays away from the abdomen carry very little risk, but we may delay the test, shield you, or suggest an ultrasound or MRI instead. Ultrasound uses no radiation at all.",
    ),
    (
        "Pharmacy",
        "Can the pharmacy tell me what my medication will cost?",
        "Yes. Call or visit the Outpatient Pharmacy with your insurance details and the pharmacists can check your co-pay before you fill a prescription. If the cost is too high, they can look for a cheaper equivalent, manufacturer coupons or assistance programs.",
    ),
    (
        "Infection Control",
        "Why does everyone keep asking me to clean my hands?",
        "Clean hands are the single best way to stop infections spreading in the hospital. Alcohol gel dispensers are by every door and bed. Patients and visitors are encouraged to remind staff too, and every member of our team expects to be asked.",
    ),
    (
        "Appointments",
        "Can I fill out my new patient forms before I arrive?",
        "Yes. New patient forms, including your health history and consent forms, are available in MyAldric's under eCheck-in up to seven days before your visit. Completing them at home usually cuts your check-in time to a few minutes, and the information goes straight into your record.",
    ),
    (
        "Discharge",
        "What if I'm not ready to go home when I'm told I'll be discharged?",
        "Talk to your nurse or doctor about your concerns as soon as you can. Medicare patients can ask for a fast appeal through the Quality Improvement Organization listed on the Important Message from Medicare notice, and you will not be charged for the extra days while the appeal is reviewed.",
    ),
]


# Specialty clinics: name, where, hours, referral rule, two facts of their own.
CLINICS: list[tuple[str, str, str, str, str, str]] = [
    (
        "Cardiology Clinic",
        "level 3 of the Harmon Pavilion",
        "Monday to Friday, 8 am to 5 pm",
        "A referral is needed for a first visit unless you were seen in our Emergency Department with a heart problem in the last month.",
        "Echocardiograms and stress tests are done in the same suite, so wear comfortable shoes in case your cardiologist adds one on the day.",
        "Bring your home blood pressure readings and a list of any heart medications you have tried before.",
    ),
    (
        "Dermatology Clinic",
        "level 2 of the Elm Street Medical Offices",
        "Monday to Thursday, 8:30 am to 4:30 pm",
        "Most insurance plans ask for a referral, but self-pay patients can book a skin check directly.",
        "Please arrive without makeup or nail polish if you are coming about a rash or a nail problem.",
        "Photos of a rash that comes and goes are very helpful, so take pictures on your phone when it flares.",
    ),
    (
        "Endocrinology & Diabetes Center",
        "level 4 of the Harmon Pavilion",
        "Monday to Friday, 7:30 am to 4 pm",
        "Your primary care provider needs to refer you, and we ask for recent HbA1c or thyroid results with the referral.",
        "Bring your glucose meter or sensor reader so the diabetes educator can download your readings.",
        "Group diabetes education classes run every Tuesday evening and are open to family members too.",
    ),
    (
        "Gastroenterology Clinic",
        "level 3 of the Main Building, North Wing",
        "Monday to Friday, 8 am to 4:30 pm",
        "A referral is required, and your provider should include any recent blood tests or scans.",
        "Colonoscopy bookings are made by the endoscopy unit after your clinic visit, not at the front desk.",
        "Keep a two-week food and symptom diary before your appointment if you can; it often saves a second visit.",
    ),
    (
        "Neurology Clinic",
        "level 5 of the Harmon Pavilion",
        "Monday to Friday, 8 am to 5 pm, with a headache clinic on Wednesday evenings",
        "Referrals are triaged by a neurologist, so urgent cases may be offered a slot within a week.",
        "If you have seizures, a video of an episode recorded by a family member can help the doctor a great deal.",
        "EEG and nerve conduction tests are done in the neurophysiology lab next door on the same floor.",
    ),
    (
        "Orthopedic Clinic",
        "the ground floor of the Harmon Pavilion, next to Imaging",
        "Monday to Friday, 7:30 am to 5:30 pm",
        "You can book without a referral for a new injury under six weeks old; older problems need a referral.",
        "X-rays are often taken before you see the surgeon, so allow up to two hours for your first visit.",
        "Wear shorts or a loose top so the joint being checked is easy to examine.",
    ),
    (
        "Sports Medicine Clinic",
        "the St. Aldric's Performance Center at 88 Dock Street",
        "Monday to Friday, 7 am to 7 pm and Saturday, 8 am to noon",
        "No referral is needed for sports injuries, and same-week appointments are usually available.",
        "Bring the shoes you train in, because gait analysis is part of many first visits.",
        "Our sports physicians also see young athletes and can provide return-to-play clearance letters for school teams.",
    ),
    (
        "Rheumatology Clinic",
        "level 4 of the Main Building, North Wing",
        "Tuesday to Friday, 8 am to 4 pm",
        "We only accept referrals from a doctor or nurse practitioner, and they are reviewed within ten working days.",
        "Blood tests are usually taken at the end of your visit, so you do not need to fast unless told to.",
        "Morning stiffness is easiest to assess early in the day, so ask for a morning appointment if your joints are worst then.",
    ),
    (
        "Urology Clinic",
        "level 2 of the Harmon Pavilion",
        "Monday to Friday, 8 am to 4:30 pm",
        "A referral is needed, except for vasectomy consultations, which you can book yourself.",
        "Please arrive with a comfortably full bladder, as a flow test or bladder scan is often done at the first visit.",
        "Kidney stone patients should bring any stone that has passed in a clean container so we can have it analyzed.",
    ),
    (
        "Kidney Care Clinic",
        "level 4 of the Main Building, South Wing",
        "Monday, Wednesday and Friday, 8 am to 4 pm",
        "Referrals come from your primary care provider or another specialist and should include recent kidney function results.",
        "Our dialysis education nurse meets new patients on Wednesday afternoons to explain treatment options in detail.",
        "Please bring a 24-hour urine collection if one was requested with your appointment letter.",
    ),
    (
        "Pulmonology Clinic",
        "level 3 of the Main Building, South Wing",
        "Monday to Friday, 8 am to 5 pm",
        "A referral is required and should mention any recent chest X-ray or CT scan.",
        "Do not use your reliever inhaler for four hours before your visit if breathing tests are planned, unless you need it.",
        "Bring all your inhalers so the team can check your technique; many people find this changes how well they work.",
    ),
    (
        "Sleep Medicine Center",
        "the first floor of the Elm Street Medical Offices",
        "Monday to Friday, 8 am to 4 pm for clinic visits; overnight studies run seven nights a week",
        "A referral is needed, and your provider may ask you to complete a sleepiness questionnaire first.",
        "Overnight sleep study rooms have a private bathroom, a TV and a standard double bed.",
        "If you already use a CPAP machine, bring it and its data card to every clinic visit.",
    ),
    (
        "Allergy & Immunology Clinic",
        "level 2 of the Whitlock Centre",
        "Monday to Thursday, 8 am to 4 pm",
        "A referral is required for adults; children can be referred by their pediatrician or school nurse.",
        "Stop antihistamine tablets five days before skin testing, but keep using your asthma inhalers as normal.",
        "Allergy shots are given in a supervised area and you must stay for 30 minutes after each injection.",
    ),
    (
        "Ear, Nose & Throat Clinic",
        "level 2 of the Main Building, North Wing",
        "Monday to Friday, 8 am to 5 pm",
        "Most visits need a referral, although hearing aid users can book follow-ups directly.",
        "A small camera is often used to look into your nose and throat; it takes a couple of minutes and numbing spray is offered.",
        "If you are coming about hearing loss, you will usually have a hearing test with the audiologist on the same day.",
    ),
    (
        "Eye Clinic",
        "level 1 of the Harmon Pavilion",
        "Monday to Friday, 8 am to 5 pm",
        "You need a referral from an optometrist or doctor, except for urgent eye problems, which are seen in our eye casualty service.",
        "Your pupils will probably be dilated, so bring sunglasses and do not drive for about four hours afterwards.",
        "Bring your current glasses and, if you wear contact lenses, your lens case so you can remove them.",
    ),
    (
        "Audiology Department",
        "level 2 of the Main Building, North Wing",
        "Monday to Friday, 8:30 am to 4:30 pm",
        "Adults can self-refer for a hearing test; children need a referral from a doctor or school health service.",
        "Avoid loud noise, such as concerts or power tools, for 24 hours before a hearing test, as it can affect the results.",
        "Hearing aid repairs are done on a drop-in basis every weekday morning from 9 am to 11 am.",
    ),
    (
        "Physical Therapy Department",
        "the ground floor of the Harmon Pavilion and at our Dock Street center",
        "Monday to Friday, 7 am to 7 pm and Saturday, 8 am to 1 pm",
        "Many plans let you book physical therapy directly for up to 30 days; after that a prescription from a provider is needed.",
        "Wear clothing you can move in and bring any braces, splints or walking aids you have been given.",
        "The pool therapy sessions at Dock Street need a swimsuit, a towel and non-slip shoes.",
    ),
    (
        "Occupational Therapy Department",
        "the ground floor of the Harmon Pavilion, next to Physical Therapy",
        "Monday to Friday, 8 am to 5 pm",
        "A referral from your doctor, nurse practitioner or hospital team is needed.",
        "Hand therapists make custom splints on site, usually at the first appointment.",
        "Therapists can visit your home before discharge to suggest equipment such as grab rails or a shower chair.",
    ),
    (
        "Speech & Swallowing Clinic",
        "level 3 of the Whitlock Centre",
        "Monday to Friday, 8 am to 4:30 pm",
        "Adults need a referral; parents can contact the pediatric team directly about their child's speech.",
        "Swallowing assessments may include an X-ray video study, so allow extra time and bring a list of foods you struggle with.",
        "Voice therapy for singers and teachers is offered in evening sessions on Tuesdays.",
    ),
    (
        "Pain Management Center",
        "level 5 of the Main Building, South Wing",
        "Monday to Friday, 8 am to 4 pm",
        "A referral is required, and we need details of the treatments you have already tried.",
        "Your first visit lasts about 90 minutes and includes time with a doctor, a physiotherapist and a psychologist.",
        "If you are having a nerve block or injection, you will need someone to drive you home afterwards.",
    ),
    (
        "Wound Care Center",
        "the first floor of the Elm Street Medical Offices",
        "Monday to Friday, 7:30 am to 4 pm",
        "Referrals are accepted from any provider or home health nurse, and urgent wounds are usually seen within 48 hours.",
        "Please keep your current dressing on when you come in so the nurse can see how the wound has drained.",
        "Hyperbaric oxygen therapy is offered in the center for certain hard-to-heal wounds.",
    ),
    (
        "Infectious Disease Clinic",
        "level 4 of the Main Building, South Wing",
        "Monday to Friday, 8:30 am to 4:30 pm",
        "A referral is needed, except for confidential HIV and hepatitis C testing, which you can book yourself.",
        "Our clinic has a separate entrance and waiting area for patients who prefer extra privacy.",
        "PrEP appointments include lab work and counseling, and most patients are seen again every three months.",
    ),
    (
        "Travel Health Clinic",
        "the first floor of the Elm Street Medical Offices",
        "Tuesday and Thursday, 9 am to 6 pm",
        "You can book yourself; no referral is needed, although some travel vaccines are not covered by insurance.",
        "Come at least six weeks before your trip, because some vaccines need two or three doses.",
        "Bring your vaccination record and your full itinerary, including any rural areas or stopovers.",
    ),
    (
        "Breast Health Center",
        "level 1 of the Whitlock Centre",
        "Monday to Friday, 7:30 am to 6 pm and two Saturdays a month",
        "Screening mammograms can be booked without a referral from age 40; diagnostic visits need an order from your provider.",
        "Do not use deodorant, powder or lotion under your arms on the day of a mammogram.",
        "If further imaging is needed after a screening, we aim to offer it within five working days.",
    ),
    (
        "Gynecology Clinic",
        "level 2 of the Whitlock Centre",
        "Monday to Friday, 8 am to 5 pm",
        "Most plans allow you to book a gynecology visit directly without a referral.",
        "If you are coming for a cervical screening test, try to book it for a time when you are not having your period.",
        "A chaperone is offered for every intimate examination, and you can also bring your own.",
    ),
    (
        "Fertility Center",
        "level 5 of the Whitlock Centre",
        "Monday to Friday, 7 am to 3 pm, with weekend monitoring appointments during treatment",
        "You can book a first consultation yourself, but check whether your insurance needs a referral for testing.",
        "Both partners are asked to attend the first consultation, and many initial tests are done on the same day.",
        "Our financial coordinator will explain which treatments your plan covers before anything is started.",
    ),
    (
        "Pediatric Specialty Clinics",
        "level 3 of the Whitlock Centre",
        "Monday to Friday, 8 am to 5 pm",
        "Children need a referral from their pediatrician or family doctor for specialty clinics.",
        "The waiting area has a play corner and baby-changing facilities, and breastfeeding is welcome anywhere.",
        "Bring your child's red book or vaccination record and any growth charts from other clinics.",
    ),
    (
        "Adolescent Health Clinic",
        "level 3 of the Whitlock Centre, next to the teen lounge",
        "Monday to Friday, 11 am to 7 pm",
        "Young people aged 12 to 21 can book directly, and parents are welcome but not required.",
        "Part of each visit is spent with the young person alone, which helps them talk openly about their health.",
        "Appointments start late in the morning so that students can come after school on most days.",
    ),
    (
        "Geriatric Medicine Clinic",
        "level 1 of the Main Building, North Wing",
        "Monday to Friday, 9 am to 4 pm",
        "A referral is needed, and we ask a relative or carer to come along when possible.",
        "Appointments are longer than usual, about an hour, so there is time to review every medication.",
        "The team can arrange a home safety assessment or a falls prevention class after your visit.",
    ),
    (
        "Memory Clinic",
        "level 5 of the Harmon Pavilion",
        "Tuesday and Thursday, 9 am to 4 pm",
        "A referral from your primary care provider is needed, usually after some initial blood tests.",
        "Please bring someone who knows you well, as the team will want their view of any changes too.",
        "Memory assessments include pen-and-paper tasks; bring your reading glasses and hearing aids if you use them.",
    ),
    (
        "Behavioral Health Clinic",
        "the second floor of the Elm Street Medical Offices",
        "Monday to Friday, 8 am to 8 pm",
        "You can refer yourself for counseling and therapy; psychiatry appointments need a referral from a provider.",
        "The first session is an assessment of about an hour that helps match you with the right therapist.",
        "If you are in crisis, do not wait for an appointment: call or text 988 or come to the Emergency Department.",
    ),
    (
        "Nutrition & Dietetics Clinic",
        "level 4 of the Harmon Pavilion, inside the Endocrinology Center",
        "Monday to Friday, 8 am to 4:30 pm",
        "Dietitian visits need a referral for insurance to cover them; self-pay visits can be booked directly.",
        "Bring a three-day food diary and any supplements you take so the dietitian can tailor advice to you.",
        "Virtual group sessions on cooking for heart health run on the first Monday of each month.",
    ),
    (
        "Cardiac Rehabilitation Program",
        "the ground floor of the Dock Street Performance Center",
        "Monday, Wednesday and Friday, 7 am to 5 pm",
        "Your cardiologist or the cardiac unit refers you after a heart attack, heart surgery or stent.",
        "Sessions run for 12 weeks and combine supervised exercise with classes on diet, stress and medications.",
        "Wear trainers and comfortable clothes, and bring your nitroglycerin spray if you have one.",
    ),
    (
        "Anticoagulation Clinic",
        "level 1 of the Harmon Pavilion, next to the Outpatient Lab",
        "Monday to Friday, 8 am to 12:30 pm",
        "Patients are enrolled by their prescribing provider when they start warfarin.",
        "INR checks take about ten minutes with a finger-prick test, and your new dose is given before you leave.",
        "Tell the clinic about any new antibiotics or changes in diet, as these can affect your warfarin level.",
    ),
    (
        "Carver Cancer Centre",
        "the Carver building on the east side of the campus, reached by the level 1 walkway",
        "Monday to Friday, 7 am to 7 pm",
        "New patients are referred by their doctor, and a nurse navigator calls within two working days of the referral.",
        "Your nurse navigator is your main contact for questions about appointments, tests and treatment plans.",
        "The infusion suite has reclining chairs, Wi-Fi and blankets; bring snacks and something to pass the time.",
    ),
    (
        "Podiatry Clinic",
        "the first floor of the Elm Street Medical Offices",
        "Monday, Tuesday and Thursday, 8 am to 4 pm",
        "Patients with diabetes can be referred by any member of their diabetes team; others need a provider referral.",
        "Bring the shoes you wear most often and any insoles or orthotics, because the podiatrist will check them.",
        "Nail surgery is done under local anesthetic in the clinic, and you should bring open-toed shoes to wear home.",
    ),
]

# Imaging and procedure preparation: test, preparation, how long it takes, one fact of its own.
TESTS: list[tuple[str, str, str, str]] = [
    (
        "colonoscopy",
        "You will follow a low-fiber diet for two days, then drink a bowel preparation the evening before and the morning of the test.",
        "about 30 to 45 minutes, plus recovery time",
        "You must have an adult to take you home because of the sedation.",
    ),
    (
        "upper endoscopy",
        "Do not eat for six hours beforehand; small sips of water are fine until two hours before.",
        "10 to 15 minutes",
        "A throat spray is used to numb your throat, and you can choose light sedation as well.",
    ),
    (
        "CT scan with contrast",
        "Avoid food for four hours before the scan, but keep drinking water, and tell us about any kidney problems or contrast allergy.",
        "around 15 minutes on the table",
        "The contrast injection can make you feel warm for a few seconds, which is normal.",
    ),
    (
        "abdominal ultrasound",
        "Fast for six hours so your gallbladder and pancreas can be seen clearly.",
        "about 30 minutes",
        "Gel is applied to your skin, and there is no radiation involved.",
    ),
    (
        "pelvic ultrasound",
        "Drink a liter of water an hour before your appointment and do not empty your bladder.",
        "about 30 minutes",
        "An internal scan may also be offered, and you can have a chaperone present.",
    ),
    (
        "MRI scan",
        "Remove all metal, including jewelry and hair clips, and complete the safety questionnaire before your slot.",
        "30 to 60 minutes depending on the body part",
        "The scanner is noisy, so we provide earplugs or headphones with music.",
    ),
    (
        "echocardiogram",
        "No special preparation is needed; wear a top that is easy to remove from the waist up.",
        "around 45 minutes",
        "You will lie on your left side while the sonographer takes images of your heart.",
    ),
    (
        "exercise stress test",
        "Avoid caffeine for 24 hours and heavy meals for three hours, and wear walking shoes.",
        "about an hour including monitoring",
        "Some heart medications must be paused the day before, so check your instructions carefully.",
    ),
    (
        "Holter monitor",
        "Shower before your appointment, because the monitor cannot get wet while you wear it.",
        "10 minutes to fit, then worn for 24 to 48 hours",
        "Keep a diary of any symptoms and the times they happen while you wear the recorder.",
    ),
    (
        "mammogram",
        "Do not use deodorant, talcum powder or lotion on your chest or underarms that day.",
        "about 20 minutes",
        "Compression lasts a few seconds for each image and helps keep the radiation dose low.",
    ),
    (
        "bone density scan",
        "Stop calcium supplements for 24 hours and wear clothes without metal zips or buttons.",
        "10 to 20 minutes",
        "The scan uses a very small dose of radiation, less than a day of natural background exposure.",
    ),
    (
        "pulmonary function test",
        "Do not smoke for 24 hours or eat a large meal for two hours beforehand.",
        "45 minutes to an hour",
        "You will blow into a mouthpiece several times, so wear loose clothing that doesn't restrict your chest.",
    ),
    (
        "EEG",
        "Wash your hair the night before and do not use conditioner, oils or spray.",
        "about an hour",
        "Small sensors are attached to your scalp with a washable paste that rinses out at home.",
    ),
    (
        "nerve conduction study",
        "Do not apply creams to your arms or legs and keep your hands and feet warm on the way in.",
        "30 to 60 minutes",
        "You will feel brief electrical pulses, which are uncomfortable but not harmful.",
    ),
    (
        "glucose tolerance test",
        "Fast from midnight and plan to stay in the lab for the whole test, as you cannot leave between blood draws.",
        "two to three hours",
        "You will drink a sweet glucose drink after the first blood sample.",
    ),
    (
        "cardiac catheterization",
        "Do not eat after midnight, and ask your cardiologist which medications to take that morning.",
        "30 to 60 minutes, plus four to six hours of recovery",
        "The doctor usually goes in through the wrist, and you will have a pressure band on afterwards.",
    ),
    (
        "PET-CT scan",
        "Eat a low-carbohydrate meal the night before and fast for six hours; diabetics will get separate instructions.",
        "about two hours including the resting period",
        "Avoid close contact with pregnant women and small children for six hours afterwards.",
    ),
    (
        "cystoscopy",
        "You can eat and drink normally; bring a urine sample collected that morning.",
        "about 15 minutes",
        "A numbing gel is used, and you may feel stinging when you urinate for a day or two.",
    ),
    (
        "sleep study",
        "Keep to your normal routine, avoid napping and caffeine after noon, and bring your own pillow and pajamas.",
        "you arrive around 8 pm and leave by 7 am",
        "A technician watches the sensors from the next room all night and can help if you need anything.",
    ),
    (
        "thyroid ultrasound",
        "No preparation is needed; avoid wearing necklaces or high collars.",
        "about 20 minutes",
        "If a biopsy is needed, it may be done in the same appointment with a local anesthetic.",
    ),
    (
        "allergy skin prick test",
        "Stop antihistamine tablets, including cold remedies that contain them, five days beforehand.",
        "about 45 minutes including waiting time",
        "Small drops are placed on your forearm and read after 15 minutes.",
    ),
    (
        "barium swallow",
        "Do not eat or drink for four hours before your appointment.",
        "about 30 minutes",
        "The barium tastes chalky and your stools may be pale for a day or two afterwards.",
    ),
]


# Rows that carry a defect. "|" marks where a truncated answer is cut off.
TRUNCATED: list[tuple[str, str, str, str]] = [
    (
        "Appointments",
        "Can I book a same-day appointment?",
        "Same-day appointments are released each morning at 7 am for urgent problems. Log in to MyAldric's early or call the practice, and if no slots are left the team will offer a nurse call-back or sugg|est our urgent care center on Elm Street, which is open until 10 pm.",
        "cut",
    ),
    (
        "Billing",
        "Why did I get a bill from a doctor I never met?",
        "Some doctors, such as radiologists and pathologists, look at your scans or samples behind the scenes and bill separately for that work. If you don't recognize a charge, call the number printed on that bill and|ask for an itemized statement.",
        "cut",
    ),
    (
        "Prescriptions",
        "Can I get an early refill before I travel?",
        "Many insurance plans allow one early refill per year for travel. Ask your clinic to send a vacation override request to the pharmacy at least a week before you leave, and bring your medications in their original containers so that the|y are easy to identify at security.",
        "cut",
    ),
    (
        "Visiting",
        "Can visitors use the hospital cafeteria?",
        "Yes, the Harbour Café is open to visitors every day from 7 am to 7 pm, and family members of inpatients receive a 10% discount when they show their visitor badge (ask at the til|l for details). Hot food is served at lunchtime.",
        "cut",
    ),
    (
        "Lab Results",
        "How will I know if my biopsy results are back?",
        "Biopsy results usually take five to seven working days. Your surgeon's team will call you or book a follow-up visit to explain them in person, because we prefer not to share a new diagnosis through the portal without someone there to answer your questions and talk thr|ough the next steps.",
        "cut",
    ),
    (
        "Parking & Directions",
        "Where can motorcycles park?",
        "Motorcycles can park free of charge in the marked bays on level 1 of Garage A, next to the pedestrian exit. Bicycle racks are located at the Main Building entrance and outside the Harmon Pavilion, and there are secure cycle lockers that you can rent from the parking office on a monthly basis so that your bike is protected from the weather and from the| theft.",
        "cut",
    ),
    (
        "Patient Portal",
        "Can I see my appointment history in MyAldric's?",
        "Yes. Go to Appointments and select Past Visits to see every visit from the last five years, including the provider's name and the after-visit summary. Older visits can be requested from Health Information Management (they are stored in our archive system and usually take a few |days to retrieve).",
        "cut",
    ),
    (
        "Maternity",
        "Can my other children visit after the birth?",
        "Siblings are welcome to meet the new baby on the postpartum unit between 9 am and 8 pm, as long as they are well and stay with an adult other than the new parent. We recommend keeping the first visit short, because both you and the baby will need rest and|...",
        "ellipsis",
    ),
    (
        "Medical Records",
        "Can I get my records in a language other than English?",
        "Records are kept in English, but our interpreter service can sight-translate a document for you during an appointment. For official translated copies, which some immigration and insurance processes require, we can refer you to an accredited translation service, although there may be a fee for this and it can take|...",
        "ellipsis",
    ),
    (
        "Emergency & Urgent Care",
        "Can I call ahead to the emergency department?",
        "There is no need to call ahead for an emergency; come straight in or call 911. If your doctor has sent you, they may phone the Emergency Department to give us your history, which helps us prepare. For less urgent problems, our urgent care center posts live wait times online, and you can reserve a place in the queue before you|...",
        "ellipsis",
    ),
    (
        "Discharge",
        "Can I leave the hospital against medical advice?",
        "You have the right to leave, but we will ask you to talk with your doctor first so you understand the risks, and to sign a form confirming that you are leaving against medical advice. Leaving early does not affect your insurance coverage for the care you received (although some plans may review the claim more closely if|",
        "paren",
    ),
    (
        "Support Services",
        "Is there free legal help for patients?",
        "Our medical-legal partnership with Kingsport Legal Aid offers free advice to eligible patients on housing problems, benefits appeals and guardianship. Ask your social worker for a referral; appointments are held in the hospital every Thursday (in the Social Work suite on level 1 of the Main Building, room|",
        "paren",
    ),
]

LUHN_CARD = "{card}"  # filled by the script with a Luhn-valid number
PII_ROWS: list[tuple[str, str, str]] = [
    (
        "Billing",
        "I was charged twice for my visit last week. Can you fix it?",
        "Hi Maria, I've checked your account and you're right, the co-pay was taken twice. I've refunded the duplicate charge to the card ending in your statement, {card}, and it should appear within five business days. If you have any questions, I'm at maria.lopez.billing@gmail.com.",
    ),
    (
        "Appointments",
        "Can someone call me back about moving my MRI?",
        "Of course. I've asked the imaging scheduling team to call you back today on (617) 555-0142, the mobile number you gave us. If that's not the best number, reply here with another one and we'll update your record.",
    ),
    (
        "Medical Records",
        "Where should I send my records request?",
        "Please email the signed form to our records coordinator, Dana Whitfield, at dana.whitfield84@outlook.com, or fax it to the Health Information Management office. Dana will confirm once your request has been received and logged.",
    ),
    (
        "Billing",
        "How can I pay my bill from abroad?",
        "International patients can pay by bank transfer. Please send the payment to IBAN GB82 WEST 1234 5698 7654 32 and use your account number as the payment reference so we can match it to your bill.",
    ),
    (
        "Prescriptions",
        "My refill hasn't arrived. Who can I talk to?",
        "I'm sorry about the delay. I've spoken with the pharmacy and they'll ship it today by overnight delivery. You can also reach our pharmacy lead, James Okafor, directly on 312-555-0186 if it hasn't arrived by Thursday.",
    ),
    (
        "Patient Portal",
        "I can't log in to MyAldric's. Can you reset my account?",
        "I've reset your account and sent a new activation link to robert.chen1957@yahoo.com. Your date of birth, 03/14/1957, and your medical record number, 00482913, are now verified, so the link should work straight away.",
    ),
    (
        "Billing",
        "Can I pay the rest of my balance over the phone?",
        "Yes. I've processed your payment of $150.00 using the Visa card {card}, expiry 09/27. Your remaining balance is $212.40, and your next statement will show the payment.",
    ),
    (
        "Maternity",
        "Can the lactation consultant call me at home?",
        "Absolutely. Our lactation consultant, Priya, will call you tomorrow morning at +1 415 555 0173. She can also meet you at the Whitlock Centre on Friday if you would rather come in.",
    ),
    (
        "Insurance",
        "Can you send my insurance paperwork to my employer?",
        "We've emailed the completed insurance claim forms to your HR contact at k.brennan@harbourlogistics.com and copied you at tom.reyes.home@gmail.com. Please let us know if they need anything else.",
    ),
    (
        "Billing",
        "Where will my refund be sent?",
        "Your overpayment of $86.50 will be refunded by bank transfer to DE89 3704 0044 0532 0130 00, the account you used for the original payment. Refunds usually arrive within seven to ten business days.",
    ),
]

SHORT: list[tuple[str, str, str]] = [
    ("Parking & Directions", "Do you validate parking for outpatient visits?", "Yes."),
    ("Billing", "Can I pay my bill with Apple Pay?", "See website."),
    ("Visiting", "Are visitors allowed on the psychiatric unit?", "Call the unit."),
    ("Patient Portal", "Can I download my immunization record from the portal?", "Yes, you can."),
    ("Appointments", "Do you have evening appointments for blood tests?", "No."),
    ("Maternity", "Is there a water birth option?", "Ask your midwife."),
    ("Pharmacy", "Does the outpatient pharmacy take GoodRx coupons?", "Yes, most of them."),
    ("Food & Amenities", "Is the cafeteria open on holidays?", "Reduced hours."),
]

EMPTY: list[tuple[str, str, str]] = [
    ("Insurance", "Do you accept out-of-state Medicaid plans?", ""),
    ("Clinics", "Is there a lactation clinic for returning to work?", ""),
    ("Medical Records", "How do I get my vaccination records for school?", "   "),
    ("Support Services", "Do you have a support group for caregivers of dementia patients?", ""),
    ("Visiting", "Can I visit a patient in isolation?", "\t"),
]


SYSTEM = (
    "You are the patient support assistant for St. Aldric's Hospital. Answer questions about "
    "appointments, billing, visiting and hospital services clearly and kindly. You do not give "
    "medical advice: for urgent symptoms, tell the patient to call 911 or go to the Emergency Department."
)
SYSTEM_MATERNITY = (
    "You are the patient support assistant for the Whitlock Women's & Children's Centre at "
    "St. Aldric's Hospital. Be warm and practical, and direct any urgent pregnancy concern to "
    "Labor & Delivery triage or 911."
)

# Hand-written conversations: list of (user, assistant) turns.
SCENARIOS: list[list[tuple[str, str]]] = [
    [
        (
            "Hi, my dad is being discharged tomorrow and he can't manage stairs yet. What happens now?",
            "I'm glad you asked early. Please let his nurse know today so the case manager can review his needs before discharge. They can arrange a physical therapy assessment, equipment such as a commode or stair rail, and home health visits if his insurance covers them.",
        ),
        (
            "Will someone check the house first?",
            "If the therapy team thinks it's needed, an occupational therapist can do a home safety visit or a video walkthrough with you before he leaves. They'll suggest changes such as setting up a bedroom downstairs for the first few weeks.",
        ),
    ],
    [
        (
            "I got a bill for $1,240 and I thought my insurance covered the whole thing.",
            "I understand that's a surprise. The amount on your statement is what your insurer decided was your share, usually because of a deductible or co-insurance. Your insurer's explanation of benefits letter shows how they calculated it.",
        ),
        (
            "Can I pay it in parts?",
            "Yes. Balances over $200 can be split into monthly payments over up to 24 months with no interest. You can set it up in MyAldric's under Billing > Payment Plans, or the billing office can do it for you by phone.",
        ),
        (
            "And if I can't afford even that?",
            "Then please apply for Aldric's Care Assist, our financial assistance program. Depending on your household income, it can reduce or remove the balance, and we pause any collection activity while your application is reviewed.",
        ),
    ],
    [
        (
            "How do I get to the Carver Cancer Centre from Garage A?",
            "Take the skybridge on level 2 of Garage A into the Main Building, then follow the purple floor line along the level 1 walkway to the east side of the campus. It's about a five-minute walk, and volunteers with wheelchairs are at the Main Building entrance if you need one.",
        ),
        (
            "Is there anywhere closer to park?",
            "Yes, the small surface lot on Quay Street is directly outside the Carver building and is reserved for patients receiving treatment there. Ask the Carver reception desk to validate your ticket so the parking is free.",
        ),
    ],
    [
        (
            "My son is 15. Can he see a doctor without me?",
            "Yes. Our Adolescent Health Clinic sees young people aged 12 to 21, and he can book directly. Part of each visit is usually spent with the young person alone so he can talk openly, and parents are welcome for the rest.",
        ),
        (
            "Will I be able to see his results in the portal?",
            "As his proxy you'll see most of his record, such as appointments and immunizations, but some information, like confidential visits, is not shown to parents of teenagers. That protects his privacy and follows state law.",
        ),
    ],
    [
        (
            "I'm 36 weeks pregnant and my bag is packed. Where do I go when it's time?",
            "Come to the Whitlock Centre entrance on Linden Avenue, which is open 24 hours. At night, press the buzzer and security will bring you straight up to Labor & Delivery on level 2. Please call the triage line before you leave home so the team knows you're coming.",
        ),
        (
            "Can my partner park by the entrance?",
            "Your partner can use the 20-minute drop-off bays outside the Whitlock entrance while you are taken inside, then move the car to Garage B. Families of patients in labor can get a discounted weekly pass at the Garage B pay station.",
        ),
    ],
    [
        (
            "Do you have someone who speaks Vietnamese? My grandmother has an appointment next week.",
            "Yes, we have Vietnamese interpreters available in person, by video and by phone at no cost. I recommend telling the clinic when you confirm the appointment so an in-person interpreter can be booked for her.",
        ),
        (
            "Can the letters be in Vietnamese too?",
            "Appointment letters and many patient information leaflets can be translated. Update her language preference in MyAldric's or ask the clinic to note it on her record, and future letters will be sent in Vietnamese where a translation is available.",
        ),
    ],
    [
        (
            "Can I get a copy of my MRI images to take to a second opinion?",
            "Yes. Request a CD or a secure download link from the Radiology Film Library on the ground floor of the Main Building. CDs are usually ready within two business days, and the radiologist's report is already in MyAldric's.",
        ),
        (
            "Is there a charge?",
            "No, copies sent directly to another provider are free. If you'd like a CD to keep for yourself, there's a small fee, which the Film Library will confirm when you place the request.",
        ),
    ],
    [
        (
            "My mother is in the ICU. Can my kids come to see her?",
            "Children can visit the ICU with the nurse manager's agreement, usually when they're old enough to understand what they'll see. The team can prepare them beforehand, and our child life specialists can help explain things in a gentle way.",
        ),
        (
            "What are the visiting times there?",
            "ICU visiting runs from 11 am to 8 pm, with a quiet hour from 2 pm to 3 pm. Two visitors may be at the bedside at a time. Use the phone at the unit entrance to let the staff know you've arrived.",
        ),
    ],
    [
        (
            "I need to cancel my colonoscopy. I've already started the prep.",
            "Please stop the bowel preparation and call the endoscopy unit as soon as you can so they can give your slot to someone else. If you feel unwell after taking part of the prep, contact the unit or the nurse line for advice.",
        ),
        (
            "Will I have to wait long for a new date?",
            "Usually not. The unit keeps a cancellation list and can often offer a new date within a few weeks. When you rebook, they'll send fresh preparation instructions and a new prescription for the prep if you need one.",
        ),
    ],
    [
        (
            "Is there somewhere I can sleep? I live two hours away and my husband is having surgery.",
            "Harbour House, our family residence two blocks from the hospital, offers low-cost rooms for families who live more than 50 miles away. Ask the social work team to book a room for you. Several nearby hotels also give a St. Aldric's discount.",
        ),
        (
            "Can I stay in his room on the first night instead?",
            "In most private rooms one adult can stay overnight with the nurse manager's agreement. After surgery he may be in a recovery unit first, so check with his nurse on the day and they'll tell you what's possible.",
        ),
    ],
]

FOLLOW_UP_OPENERS = [
    "Thanks. ",
    "Okay, and ",
    "Great. One more thing: ",
    "Got it. ",
    "Thank you! Also, ",
    "Another question: ",
]
THANKS = [
    (
        "Thanks, that's really helpful.",
        "You're welcome! If anything else comes up before your visit, just send us a message here.",
    ),
    ("Perfect, thank you.", "Happy to help. We hope everything goes smoothly, and you can reach us here any time."),
    (
        "Thanks so much!",
        "You're very welcome. Take care, and don't hesitate to get in touch if you have more questions.",
    ),
    ("That answers it, thanks.", "Glad I could help. MyAldric's has more details if you need them later on."),
]


# --------------------------------------------------------------------------------------------
# Building the rows
# --------------------------------------------------------------------------------------------

WHERE_TEMPLATES = [
    ("Where is the {name}?", "The {name} is on {where}. It is open {hours}. {fact}"),
    ("What are the opening hours of the {name}?", "The clinic is open {hours}. You will find it on {where}. {fact}"),
    (
        "How do I find the {name}, and when is it open?",
        "Head to {where}; the {name} is signposted from the main lobby. Opening hours are {hours}. {fact}",
    ),
    ("When is the {name} open?", "{Hours}. {fact} Check in at the reception desk on {where}."),
    ("Which building is the {name} in?", "You'll find us on {where}. {fact} We are open {hours}."),
    (
        "I have my first appointment at the {name}. Where do I go?",
        "Welcome! Come to {where} and give your name at the front desk. {fact} Our hours are {hours}.",
    ),
    (
        "Where do I check in for an appointment at the {name}?",
        "Check in at the {name} reception on {where}, ideally 15 minutes before your appointment. "
        "The clinic runs {hours}. {fact}",
    ),
]
REFERRAL_TEMPLATES = [
    ("Do I need a referral for the {name}?", "{referral} {fact}"),
    ("What should I know before my first visit to the {name}?", "{fact} {referral}"),
    (
        "How do I get an appointment at the {name}?",
        "{referral} Once everything is in place, the clinic team will contact you to arrange a date. {fact}",
    ),
    ("Can I book an appointment with the {name} myself?", "{referral} {fact}"),
]
TEST_TEMPLATES = [
    ("How do I prepare for {a} {test}?", "{prep} The test itself takes {duration}. {extra}"),
    ("What do I need to do before my {test}?", "{prep} Allow {duration} for the appointment. {extra}"),
    ("What should I expect during {a} {test}?", "{extra} To prepare: {prep_lc} It takes {duration}."),
    ("How long does {a} {test} take, and is there any preparation?", "It takes {duration}. {prep} {extra}"),
]
SYNONYMS = {"usually": "normally", "can": "may", "please": "kindly", "help": "assist", "most": "many",
            "about": "around", "within": "in", "ask": "request", "free": "complimentary"}  # fmt: skip
FILLERS = ["also", "usually", "just", "still", "generally"]
WORD = re.compile(r"\w+")


def article(word: str) -> str:
    return "an" if word[0].lower() in "aeiou" or word.startswith("MRI") else "a"


def clinic_rows(rng: random.Random) -> list[tuple[str, str, str]]:
    """Two questions per clinic; phrasings rotate so no two answers share a skeleton."""
    rows = []
    where_order = rng.sample(range(len(CLINICS)), len(CLINICS))
    for i, (name, where, hours, referral, fact_a, fact_b) in enumerate(CLINICS):
        q, a = WHERE_TEMPLATES[where_order[i] % len(WHERE_TEMPLATES)]
        fill = {"name": name, "where": where, "hours": hours, "Hours": hours[0].upper() + hours[1:], "fact": fact_a}
        rows.append(("Clinics", q.format(**fill), a.format(**fill)))
        q, a = REFERRAL_TEMPLATES[i % len(REFERRAL_TEMPLATES)]
        rows.append(("Clinics", q.format(name=name), a.format(referral=referral, fact=fact_b)))
    return rows


def test_rows() -> list[tuple[str, str, str]]:
    rows = []
    for i, (test, prep, duration, extra) in enumerate(TESTS):
        q, a = TEST_TEMPLATES[i % len(TEST_TEMPLATES)]
        fill = {"test": test, "a": article(test), "prep": prep, "prep_lc": prep[0].lower() + prep[1:],
                "duration": duration, "extra": extra}  # fmt: skip
        rows.append(("Imaging & Tests", q.format(**fill), a.format(**fill)))
    return rows


def luhn_card(rng: random.Random) -> str:
    digits = [4, *(rng.randrange(10) for _ in range(14))]
    total = sum(x if i % 2 else (2 * x - 9 if x > 4 else 2 * x) for i, x in enumerate(reversed(digits)))
    number = "".join(map(str, [*digits, (10 - total % 10) % 10]))
    return " ".join(number[i : i + 4] for i in range(0, 16, 4))


def truncate(answer: str, mode: str) -> str:
    cut = answer[: answer.index("|")].rstrip()
    return cut + "..." if mode == "ellipsis" else cut


def near_variant(q: str, a: str, kind: int, rng: random.Random) -> tuple[str, str]:
    """Kinds 0-2: case / whitespace / punctuation variants; 3-9: one to three word edits."""
    if kind == 0:
        return q.lower(), a
    if kind == 1:
        return q, a.replace(". ", ".  ").replace(", ", " ,  ", 1)
    if kind == 2:
        return q.rstrip("?"), a.replace(",", "")
    words = a.split(" ")
    for _ in range(1 + (kind - 3) % 3):
        spots = [i for i in range(1, len(words) - 3) if words[i].isalpha()]
        i = rng.choice(spots)
        if words[i].lower() in SYNONYMS:
            words[i] = SYNONYMS[words[i].lower()]
        elif rng.random() < 0.5:
            words.insert(i, rng.choice(FILLERS))
        else:
            del words[i]
    return (q.replace("How do I", "How can I") if kind == 9 else q), " ".join(words)


NOISE = [
    lambda a: a.replace(" and ", " &amp; ", 1),
    lambda a: a.replace("'", "&#39;"),
    lambda a: a.replace(" ", "&nbsp;", 1),
    lambda a: a.replace(". ", ".  "),
    lambda a: "  " + a + "   ",
    lambda a: a.replace(" ", "\t", 1),
    lambda a: a.replace(". ", ".\r\n", 1),
    lambda a: a.replace(" ", "\u00a0", 2),
]


def bigrams(text: str) -> set[tuple[str, str]]:
    words = WORD.findall(text.lower())
    return set(itertools.pairwise(words))


def max_jaccard(rows: list[tuple[str, str, str]]) -> float:
    sets = [bigrams(q + " " + a) for _, q, a in rows]
    return max(len(x & y) / len(x | y) for x, y in itertools.combinations(sets, 2))


def build_faq(rng: random.Random) -> tuple[list[tuple[str, str, str]], Counter[str], float]:
    clean = FAQ + clinic_rows(rng) + test_rows()
    assert len({q for _, q, _ in clean}) == len(clean), "duplicate question in the clean pool"
    worst = max_jaccard(clean)
    assert worst < 0.5, f"clean rows too similar: {worst:.2f}"
    rows = rng.sample(clean, len(clean))
    counts: Counter[str] = Counter()
    chosen = rng.sample(range(len(rows)), 8 + 10 + 14)
    dup_src, near_src, noisy = chosen[:8], chosen[8:18], chosen[18:]
    for k, i in enumerate(noisy):
        cat, q, a = rows[i]
        rows[i] = (cat, q + ("  " if k % 4 == 0 else ""), NOISE[k % len(NOISE)](a))
        counts["formatting noise (kept after cleaning)"] += 1
    extra: list[tuple[int, tuple[str, str, str]]] = []  # (earliest position, row)
    for i in dup_src:
        extra.append((i + 1, rows[i]))
        counts["duplicate"] += 1
    for kind, i in enumerate(near_src):
        cat, q, a = rows[i]
        extra.append((i + 1, (cat, *near_variant(q, a, kind, rng))))
        counts["near_duplicate"] += 1
    for cat, q, a, mode in TRUNCATED:
        extra.append((0, (cat, q, truncate(a, mode))))
        counts["truncated"] += 1
    for cat, q, a in PII_ROWS:
        extra.append((0, (cat, q, a.replace("{card}", luhn_card(rng)))))
        counts["pii"] += 1
    for label, group in (("too_short", SHORT), ("empty", EMPTY)):
        for row in group:
            extra.append((0, row))
            counts[label] += 1
    # Insert from the back so earlier positions stay valid; copies land after their source.
    positions = [rng.randint(lo, len(rows)) for lo, _ in extra]
    for pos, (_, row) in sorted(zip(positions, extra, strict=True), key=lambda t: -t[0]):
        rows.insert(pos, row)
    return rows, counts, worst


def chat(messages: list[dict[str, object]]) -> str:
    return json.dumps({"messages": messages}, ensure_ascii=False)


def lower_first(text: str) -> str:
    first = text.split(" ", 1)[0]
    return (
        text if first in {"I", "I'm", "I've"} or first.startswith(("MyAldric", "St.")) else text[0].lower() + text[1:]
    )


def build_chats(rng: random.Random) -> tuple[list[str], Counter[str]]:
    convos: list[list[dict[str, object]]] = []
    for turns in SCENARIOS:
        convos.append([{"role": "system", "content": SYSTEM}] + [
            {"role": role, "content": text} for user, answer in turns for role, text in (("user", user), ("assistant", answer))
        ])  # fmt: skip
    by_category: dict[str, list[tuple[str, str]]] = {}
    for cat, q, a in FAQ:
        if "\n" not in a:
            by_category.setdefault(cat, []).append((q, a))
    pools = {cat: rng.sample(items, len(items)) for cat, items in sorted(by_category.items())}
    while len(convos) < 55:
        cat = rng.choice([c for c, items in pools.items() if len(items) >= 2])
        n = 3 if len(pools[cat]) >= 3 and rng.random() < 0.3 else 2
        picked = [pools[cat].pop() for _ in range(n)]
        messages: list[dict[str, object]] = [
            {"role": "system", "content": SYSTEM_MATERNITY if cat == "Maternity" else SYSTEM}
        ]
        for k, (q, a) in enumerate(picked):
            user = q if k == 0 else rng.choice(FOLLOW_UP_OPENERS) + lower_first(q)
            messages += [{"role": "user", "content": user}, {"role": "assistant", "content": a}]
        if n == 2 and rng.random() < 0.4:
            thanks, reply = rng.choice(THANKS)
            messages += [{"role": "user", "content": thanks}, {"role": "assistant", "content": reply}]
        if len(convos) % 4 == 0:
            messages[2]["weight"] = 0  # don't train on the first answer, only on the later turns
        convos.append(messages)
    counts: Counter[str] = Counter(clean=len(convos))
    lines = [chat(m) for m in convos]
    # Defects: a duplicate, a truncated final answer, PII, malformed JSON and an unknown role.
    lines.insert(rng.randint(20, len(lines)), lines[7])
    truncated = [dict(m) for m in convos[12]]
    last = str(truncated[-1]["content"])
    cut = max(last.rfind(" the "), last.rfind(" and "))
    truncated[-1]["content"] = last[: cut + 4] if cut > 40 else last[: int(len(last) * 0.6)].rstrip() + "wi"
    pii = [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": "Can you update my contact details? My new cell is (617) 555-0199 and my email is lena.park77@gmail.com."},
        {"role": "assistant", "content": "Done. I've updated your record with the new cell number and email address, and future appointment reminders will go there."},
        {"role": "user", "content": "Will my pharmacy get the new number too?"},
        {"role": "assistant", "content": "Not automatically. The Outpatient Pharmacy keeps its own contact list, so please let them know at your next pickup or update it in the pharmacy section of MyAldric's."},
    ]  # fmt: skip
    bot = [dict(m, role="bot") if m["role"] == "assistant" else m for m in convos[30]]
    malformed = chat(convos[41])[:-2]  # the closing "]}" is missing
    for line in (chat(truncated), chat(pii), chat(bot), malformed):
        lines.insert(rng.randint(0, len(lines)), line)
    counts.update({"duplicate": 1, "truncated": 1, "pii": 1, "unknown_role": 1, "malformed_json": 1})
    return lines, counts


def main() -> None:
    rng = random.Random(SEED)
    rows, counts, worst = build_faq(rng)
    with open(HERE / "patient_faq.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["Question", "Answer", "Category"])
        writer.writerows((q, a, cat) for cat, q, a in rows)
    lines, chat_counts = build_chats(rng)
    (HERE / "patient_chats.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    defects = sum(v for k, v in counts.items() if not k.startswith("formatting"))
    print(f"patient_faq.csv: {len(rows)} rows, {defects} with a defect ({defects / len(rows):.0%}); "
          f"max word-bigram Jaccard between clean rows {worst:.2f}")  # fmt: skip
    for name, n in sorted(counts.items()):
        print(f"  {name}: {n}")
    print(f"patient_chats.jsonl: {len(lines)} lines")
    for name, n in sorted(chat_counts.items()):
        print(f"  {name}: {n}")


if __name__ == "__main__":
    main()
