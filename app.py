import streamlit as st

st.set_page_config(page_title="Equity and Inclusion dashboard")
st.title("Equity and Inclusion Scheme 2022-24: Objective 2")
