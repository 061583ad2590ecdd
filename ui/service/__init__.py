"""The service desk (客服): repairs, complaints, what is due now, visits and the survey, a
module each; `page` puts them on one page."""
